import { dueAtOfTask, jitJobId, scheduledTaskId } from './monitoring.constants';

describe('task ids', () => {
  it('read back the due time of a scheduled check, and none for a JIT check', () => {
    const due = new Date('2026-12-06T10:00:00.123Z');
    const hostId = '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11';
    expect(dueAtOfTask(scheduledTaskId(hostId, due))).toEqual(due);
    expect(dueAtOfTask(jitJobId('0b6c1e2f-1111-4c53-9a7e-2d9d8f0c1a11'))).toBeNull();
  });
});
