/** Kept in step with services/cli/package.json. */
export const VERSION = '0.1.0';
