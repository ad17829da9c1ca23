import { InitialSchema1764300000000 } from './1764300000000-InitialSchema';

/** Every migration, oldest first. Listed explicitly so the app, the tests and the CLI agree. */
export const MIGRATIONS = [InitialSchema1764300000000];
