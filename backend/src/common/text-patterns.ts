/* eslint-disable no-control-regex -- these patterns exist to reject control characters */

/** Printable text: no ASCII control characters (NUL included: Postgres text cannot hold it). */
export const PRINTABLE = /^[^\x00-\x1f\x7f]+$/;
/** Any text without NUL (secrets may hold tabs or newlines, never NUL). */
export const NO_NUL = /^[^\x00]+$/;
/** A tag: printable, no commas (commas separate tags in query strings). */
export const TAG = /^[^\x00-\x1f\x7f,]+$/;
