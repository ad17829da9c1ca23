import type { NextFunction, Request, Response } from 'express';

/** Deeper than any body this API takes; deep enough to be a deliberate attack if exceeded. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a parsed JSON value, without recursion (so it cannot blow the stack). */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Object.values(node as object)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Refuses request bodies nested deeper than MAX_JSON_DEPTH with a 400, before validation
 * (class-transformer recurses and would overflow the stack on a pathological body).
 */
export function rejectDeepJson(req: Request, res: Response, next: NextFunction): void {
  if (
    req.body &&
    typeof req.body === 'object' &&
    jsonDepth(req.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH
  ) {
    res.status(400).json({
      statusCode: 400,
      error: 'Bad Request',
      message: [`body: nested deeper than ${MAX_JSON_DEPTH} levels`],
      errors: [{ field: 'body', problem: `nested deeper than ${MAX_JSON_DEPTH} levels` }],
    });
    return;
  }
  next();
}
