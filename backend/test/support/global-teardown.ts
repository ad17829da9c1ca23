import { Client } from 'pg';
import IORedis from 'ioredis';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.HOSTWATCH_TEST_DATABASE_URL;
  if (!url) return;
  delete process.env.HOSTWATCH_TEST_DATABASE_URL;
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const prefix = process.env.HOSTWATCH_TEST_QUEUE_PREFIX;
  if (prefix) {
    const redis = new IORedis(process.env.HOSTWATCH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
