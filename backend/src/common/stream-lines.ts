import type { Response } from 'express';

/**
 * Writes chunks of text to an HTTP response as they come, waiting whenever the client is
 * slower than the source (backpressure), and stops reading the source when the client goes
 * away: breaking out of the loop closes the source (a database cursor, say).
 */
export async function streamChunks(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  try {
    for await (const chunk of chunks) {
      if (closed) break;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
  } catch (error) {
    // The headers are out: all that is left is to cut the answer short, so the client sees it
    // incomplete rather than ending cleanly.
    res.destroy(error as Error);
    return;
  }
  res.end();
}
