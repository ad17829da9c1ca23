import type { IndexOptions } from 'typeorm';

/**
 * For indexes TypeORM cannot describe (partial, GIN, DESC): the entity names them so the
 * schema diff leaves them alone, and the migration creates them. TypeORM honours
 * `synchronize: false` at run time though its IndexOptions type no longer lists it.
 */
export const MIGRATION_MANAGED = { synchronize: false } as IndexOptions;
