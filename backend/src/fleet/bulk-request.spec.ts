import { bulkProblems, bulkRole } from './bulk-request';
import { newTags } from './bulk-hosts.service';
import type { BulkHostsDto } from './dto/bulk.dto';

const NOW = new Date('2026-12-01T12:00:00Z');
const ID = '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11';
const fields = (dto: Partial<BulkHostsDto>) =>
  bulkProblems(dto as BulkHostsDto, NOW).map((p) => p.field);

describe('bulkProblems', () => {
  it('needs exactly one of ids and filter', () => {
    expect(fields({ action: 'check' })).toEqual(['ids']);
    expect(fields({ action: 'check', ids: [ID], filter: {} })).toEqual(['filter']);
    expect(fields({ action: 'check', filter: {} })).toEqual([]);
  });

  it('refuses the fields an action does not take, and asks for those it needs', () => {
    expect(fields({ action: 'check', ids: [ID], until: '2027-01-01T00:00:00Z' })).toEqual([
      'until',
    ]);
    expect(fields({ action: 'delete', ids: [ID], tags: ['a'] })).toEqual(['tags']);
    expect(fields({ action: 'add_tags', ids: [ID] })).toEqual(['tags']);
    expect(fields({ action: 'remove_tags', ids: [ID], tags: [] })).toEqual(['tags']);
    expect(fields({ action: 'set_tags', ids: [ID], tags: [] })).toEqual([]);
    expect(fields({ action: 'set_credential', ids: [ID] })).toEqual(['credential_id']);
    expect(fields({ action: 'set_credential', ids: [ID], credential_id: null })).toEqual([]);
    expect(fields({ action: 'maintenance_on', ids: [ID], reason: 'patching' })).toEqual([]);
  });

  it('wants a maintenance window that ends in the future', () => {
    expect(fields({ action: 'maintenance_on', ids: [ID], until: NOW.toISOString() })).toEqual([
      'until',
    ]);
    expect(fields({ action: 'maintenance_on', ids: [ID], until: '2026-12-01T12:00:01Z' })).toEqual(
      [],
    );
  });

  it('gives check to operators and every other action to admins', () => {
    expect(bulkRole('check')).toBe('operator');
    expect(bulkRole('delete')).toBe('admin');
    expect(bulkRole('maintenance_on')).toBe('admin');
  });
});

describe('newTags', () => {
  it('keeps the order of a host’s tags and adds new ones last, once', () => {
    expect(newTags('add_tags', ['b', 'a'], ['a', 'c'])).toEqual(['b', 'a', 'c']);
    expect(newTags('remove_tags', ['b', 'a', 'c'], ['a', 'x'])).toEqual(['b', 'c']);
    expect(newTags('set_tags', ['b'], ['z', 'y'])).toEqual(['z', 'y']);
  });
});
