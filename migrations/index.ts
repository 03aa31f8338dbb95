import { InitialSchema1763773200000 } from './1763773200000-InitialSchema.js';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const migrations = [InitialSchema1763773200000];
