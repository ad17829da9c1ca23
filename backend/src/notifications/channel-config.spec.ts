import { checkChannelConfig, shownConfig } from './channel-config';

const fields = (r: ReturnType<typeof checkChannelConfig>) => r.problems.map((p) => p.field);

describe('channel config', () => {
  it('splits secrets from what may be shown', () => {
    const r = checkChannelConfig('slack', { url: 'https://hooks.slack.com/services/T/B/X' }, null);
    expect(r.problems).toEqual([]);
    expect(r.config).toEqual({ url_host: 'hooks.slack.com' });
    expect(r.secrets).toEqual({ url: 'https://hooks.slack.com/services/T/B/X' });
    expect(shownConfig('slack', r)).toEqual({ url_host: 'hooks.slack.com', secret_set: true });
  });

  it('keeps a stored secret left out, removes one set to null', () => {
    const stored = { config: { url: 'https://a.example.com/h' }, secrets: { secret: 's' } };
    expect(
      checkChannelConfig('webhook', { url: 'https://b.example.com/h' }, stored).secrets,
    ).toEqual({ secret: 's' });
    expect(checkChannelConfig('webhook', { secret: null }, stored)).toMatchObject({
      config: { url: 'https://a.example.com/h' },
      secrets: {},
    });
  });

  it('names each bad field', () => {
    expect(
      fields(checkChannelConfig('webhook', { url: 'https://u:p@x.example.com' }, null)),
    ).toEqual(['config.url']);
    expect(fields(checkChannelConfig('alertmanager', { url: 'x', extra: 1 }, null))).toEqual([
      'config.extra',
      'config.url',
    ]);
    expect(
      fields(
        checkChannelConfig(
          'email',
          { host: 'bad host', from: 'x', to: [], password: 'p', username: null },
          null,
        ),
      ),
    ).toEqual(['config.host', 'config.password', 'config.from', 'config.to']);
  });

  it('gives e-mail its defaults: starttls on 587', () => {
    const r = checkChannelConfig(
      'email',
      { host: 'smtp.example.com', from: 'a@example.com', to: ['b@example.com'] },
      null,
    );
    expect(r.problems).toEqual([]);
    expect(r.config).toMatchObject({ tls: 'starttls', port: 587, username: null });
  });
});
