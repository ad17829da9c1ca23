import { eventLoopStatus, migrationsStatus, pendingMigrations } from './readiness';

describe('readiness rules', () => {
  it('lists the migrations the database has not applied, in the code order', () => {
    expect(pendingMigrations(['A1', 'B2', 'C3'], ['B2'])).toEqual(['A1', 'C3']);
    expect(pendingMigrations(['A1'], ['A1', 'Z9'])).toEqual([]);
  });

  it('is down naming each pending migration', () => {
    expect(migrationsStatus(['A1', 'B2'], ['A1', 'B2'])).toEqual({ status: 'up', applied: 2 });
    const down = migrationsStatus(['A1', 'B2'], ['A1']);
    expect(down.status).toBe('down');
    expect(down.message).toContain('1 migration(s) not applied: B2');
  });

  it('is live while the event loop keeps within its limit', () => {
    expect(eventLoopStatus(12.4, 5000)).toEqual({ status: 'up', lag_ms: 12 });
    expect(eventLoopStatus(5000, 5000).status).toBe('up');
    expect(eventLoopStatus(5001, 5000)).toMatchObject({ status: 'down', lag_ms: 5001 });
  });
});
