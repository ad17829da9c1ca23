import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { extname } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { badRequest } from '../../common/validation';
import type { ImportFormat } from './import-record';

/** Media types of a raw upload, and the format each means when ?format= does not say. */
const RAW_TYPES: Record<string, ImportFormat | null> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/yaml': 'ansible-yaml',
  'application/x-yaml': 'ansible-yaml',
  'text/yaml': 'ansible-yaml',
  'text/x-yaml': 'ansible-yaml',
  'text/plain': null,
};

const EXTENSIONS: Record<string, ImportFormat> = {
  '.csv': 'csv',
  '.yml': 'ansible-yaml',
  '.yaml': 'ansible-yaml',
  '.ini': 'ansible-ini',
  '.cfg': 'ansible-ini',
};

export interface Upload {
  stream: Readable;
  format: ImportFormat;
}

function tooLarge(maxBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(
    `The upload is larger than IMPORT_MAX_BYTES (${maxBytes} bytes); split the file or raise the limit`,
  );
}

/** The request body, failing with a 413 as soon as it passes `maxBytes`. */
function bounded(req: Request, maxBytes: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
  });
  req.on('error', (error) => counter.destroy(error));
  return req.pipe(counter);
}

/**
 * The uploaded file as a stream, and its format: the raw body (text/csv, application/yaml, or
 * text/plain with ?format=) or the `file` field of a multipart form (format from ?format=, else
 * the file's name). Nothing is buffered here; the size is counted as the bytes pass.
 */
export async function openUpload(
  req: Request,
  format: ImportFormat | undefined,
  maxBytes: number,
): Promise<Upload> {
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > maxBytes) throw tooLarge(maxBytes);
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'multipart/form-data') return fileField(req, format, maxBytes);
  if (!(type in RAW_TYPES)) {
    throw new UnsupportedMediaTypeException(
      `Content-Type ${type || '(none)'} is not an import format; send text/csv, application/yaml, text/plain with ?format=, or multipart/form-data with a file field`,
    );
  }
  const chosen = format ?? RAW_TYPES[type];
  if (!chosen) {
    throw badRequest([
      { field: 'format', problem: 'is required with text/plain: csv, ansible-ini or ansible-yaml' },
    ]);
  }
  return { stream: bounded(req, maxBytes), format: chosen };
}

function fileField(
  req: Request,
  format: ImportFormat | undefined,
  maxBytes: number,
): Promise<Upload> {
  return new Promise<Upload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20 } });
    } catch (error) {
      reject(
        badRequest([
          { field: 'file', problem: `not a multipart form: ${(error as Error).message}` },
        ]),
      );
      return;
    }
    let found = false;
    parser.on('file', (name, file, info) => {
      if (name !== 'file' || found) {
        file.resume();
        return;
      }
      found = true;
      const chosen = format ?? EXTENSIONS[extname(info.filename ?? '').toLowerCase()];
      if (!chosen) {
        file.resume();
        reject(
          badRequest([
            {
              field: 'format',
              problem: `cannot tell the format of '${info.filename}'; name it .csv, .ini or .yml, or give ?format=`,
            },
          ]),
        );
        return;
      }
      const out = new PassThrough();
      file.on('error', (error) => out.destroy(error));
      body.on('error', (error) => out.destroy(error));
      resolve({ stream: file.pipe(out), format: chosen });
    });
    parser.on('error', (error) =>
      found
        ? undefined
        : reject(
            badRequest([
              { field: 'file', problem: `not a multipart form: ${(error as Error).message}` },
            ]),
          ),
    );
    parser.on('close', () => {
      if (!found)
        reject(badRequest([{ field: 'file', problem: 'is required: the form has no file field' }]));
    });
    const body = bounded(req, maxBytes);
    body.on('error', (error) => {
      parser.destroy(error);
      if (!found) reject(error);
    });
    body.pipe(parser);
  });
}
