import type { MaintenanceWindow } from '../../core/api/api-types';
import {
  describeSchedule,
  emptyMaintenanceDraft,
  maintenanceBody,
  occurrenceLine,
} from './maintenance-form';

describe('maintenance form → request', () => {
  it('a one-off window sends its two instants', () => {
    const body = maintenanceBody({
      ...emptyMaintenanceDraft('UTC'),
      name: ' db upgrade ',
      tags: 'db, rack-7',
      starts_at: '2027-01-10T22:00:00Z',
      ends_at: '2027-01-11T02:00:00Z',
    });
    expect(body).toEqual({
      name: 'db upgrade',
      tags: ['db', 'rack-7'],
      starts_at: '2027-01-10T22:00:00.000Z',
      ends_at: '2027-01-11T02:00:00.000Z',
    });
  });

  it('a weekly window sends weekdays in week order, its start time, length and zone', () => {
    const body = maintenanceBody({
      ...emptyMaintenanceDraft('Europe/Berlin'),
      name: 'patching',
      reason: 'kernel',
      kind: 'weekly',
      weekdays: ['sun', 'sat'],
      start_time: '22:00',
      duration_minutes: '480',
    });
    expect(body).toEqual({
      name: 'patching',
      reason: 'kernel',
      tags: [],
      recurrence: {
        weekdays: ['sat', 'sun'],
        start_time: '22:00',
        duration_minutes: 480,
        time_zone: 'Europe/Berlin',
      },
    });
  });

  it('describes a schedule and lists an occurrence in the window’s zone, across the DST change', () => {
    const w = {
      recurrence: {
        weekdays: ['sat'],
        start_time: '22:00',
        duration_minutes: 480,
        time_zone: 'Europe/Berlin',
      },
    } as MaintenanceWindow;
    expect(describeSchedule(w)).toBe('Sat at 22:00 for 8 h (Europe/Berlin)');
    expect(
      occurrenceLine(
        { starts_at: '2027-03-27T21:00:00.000Z', ends_at: '2027-03-28T05:00:00.000Z' },
        'Europe/Berlin',
      ),
    ).toBe('Sat, 27 Mar 2027, 22:00 – Sun 28 Mar, 07:00');
  });
});
