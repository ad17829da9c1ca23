/**
 * Nest's own start-up chatter (a line per module, controller and route: some 80 lines) is
 * logged at `debug`, not `log`, so that what a person needs at start-up is not buried.
 */
export const DEBUG_CONTEXTS: ReadonlySet<string> = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** Whether a `log` call with these parameters (the last is Nest's context) goes to debug. */
export function isStartupChatter(params: readonly unknown[]): boolean {
  const context = params[params.length - 1];
  return typeof context === 'string' && DEBUG_CONTEXTS.has(context);
}
