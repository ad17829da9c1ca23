import type { Request } from 'express';
import { routeLabel } from './http-observer';

const req = (fields: Partial<Request> & { route?: { path: unknown } }) =>
  ({ baseUrl: '', originalUrl: '/', ...fields }) as unknown as Request;

describe('routeLabel', () => {
  it('is the matched route pattern, never the raw path with its ids', () => {
    expect(
      routeLabel(req({ route: { path: '/api/hosts/:id' }, originalUrl: '/api/hosts/0b6c?x=1' })),
    ).toBe('/api/hosts/:id');
  });

  it('groups unmatched API paths and the console files', () => {
    expect(routeLabel(req({ originalUrl: '/api/nope/123' }))).toBe('<unmatched>');
    expect(routeLabel(req({ originalUrl: '/api' }))).toBe('<unmatched>');
    expect(routeLabel(req({ originalUrl: '/hosts/abc' }))).toBe('<static>');
    expect(routeLabel(req({ originalUrl: '/apidocs' }))).toBe('<static>');
  });
});
