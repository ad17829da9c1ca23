import { ConflictException, NotFoundException } from '@nestjs/common';
import { findOrNotFound, isUniqueViolation, saveOrConflict } from './persistence';

/** The shape TypeORM gives a failed query: the driver's error under driverError. */
const driverError = (code: string) =>
  Object.assign(new Error('query failed'), { driverError: { code } });

describe('isUniqueViolation', () => {
  it('recognises SQLSTATE 23505 only', () => {
    expect(isUniqueViolation(driverError('23505'))).toBe(true);
    expect(isUniqueViolation(driverError('23503'))).toBe(false);
    expect(isUniqueViolation(new Error('connection lost'))).toBe(false);
  });
});

describe('saveOrConflict', () => {
  it('returns what the save returns', async () => {
    await expect(saveOrConflict(async () => 'saved', 'taken')).resolves.toBe('saved');
  });

  it('answers a unique violation with 409 and the given message', async () => {
    const result = saveOrConflict(
      () => Promise.reject(driverError('23505')),
      "A host named 'a' already exists",
    );
    await expect(result).rejects.toThrow(ConflictException);
    await expect(result).rejects.toThrow("A host named 'a' already exists");
  });

  it('lets any other failure through unchanged', async () => {
    const error = driverError('23503');
    await expect(saveOrConflict(() => Promise.reject(error), 'taken')).rejects.toBe(error);
  });
});

describe('findOrNotFound', () => {
  it('returns what the lookup finds', async () => {
    await expect(findOrNotFound(async () => ({ id: 'x' }), 'gone')).resolves.toEqual({ id: 'x' });
  });

  it.each([null, undefined])('answers %p with 404 and the given message', async (nothing) => {
    const result = findOrNotFound(async () => nothing, "Host 'x' not found");
    await expect(result).rejects.toThrow(NotFoundException);
    await expect(result).rejects.toThrow("Host 'x' not found");
  });
});
