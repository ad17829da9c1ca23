import type { Channel } from '../../core/api/api-types';
import {
  channelDestination,
  channelErrors,
  createChannelBody,
  draftFromChannel,
  emptyChannelDraft,
  storedSecret,
  updateChannelBody,
} from './channel-form';

const channel = (change: Partial<Channel>): Channel => ({
  id: 'c-1',
  name: 'ops-hook',
  type: 'webhook',
  enabled: true,
  config: { url: 'https://ops.example.com/hook', secret_set: true },
  last_delivery: null,
  created_at: '2026-12-01T10:00:00.000Z',
  updated_at: '2026-12-01T10:00:00.000Z',
  ...change,
});

const badRequest = (errors: { field: string; problem: string }[]) => ({
  status: 400,
  error: { statusCode: 400, message: errors.map((e) => `${e.field}: ${e.problem}`), errors },
});

describe('channel dialog → request', () => {
  it("sends a new channel's config for its type, secret included when typed", () => {
    expect(
      createChannelBody({
        ...emptyChannelDraft('webhook'),
        name: ' ops-hook ',
        url: ' https://ops.example.com/hook ',
        secret: 'whsec-1',
        // Fields of other types typed before switching type do not leak into the request.
        host: 'smtp.example.com',
        password: 'typed-for-email',
      }),
    ).toEqual({
      name: 'ops-hook',
      type: 'webhook',
      enabled: true,
      config: { url: 'https://ops.example.com/hook', secret: 'whsec-1' },
    });
    expect(
      createChannelBody({
        ...emptyChannelDraft('email'),
        name: 'mail',
        host: 'smtp.example.com',
        port: '',
        tls: 'tls',
        username: '',
        from: 'hostwatch@example.com',
        to: 'a@example.com, b@example.com;c@example.com\nd@example.com',
      }).config,
    ).toEqual({
      host: 'smtp.example.com',
      tls: 'tls',
      username: null,
      from: 'hostwatch@example.com',
      to: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'],
    });
  });

  it('leaves a stored secret unchanged unless one is typed', () => {
    const stored = channel({});
    const draft = draftFromChannel(stored);
    expect(draft.secret).toBe('');
    expect(updateChannelBody(draft, stored)).toEqual({
      config: { url: 'https://ops.example.com/hook' },
    });
    expect(updateChannelBody({ ...draft, name: 'renamed', secret: 'whsec-2' }, stored)).toEqual({
      name: 'renamed',
      config: { url: 'https://ops.example.com/hook', secret: 'whsec-2' },
    });
  });

  it('removes a stored secret only when asked to', () => {
    const stored = channel({});
    expect(
      updateChannelBody(
        { ...draftFromChannel(stored), clearSecret: true, secret: 'ignored' },
        stored,
      ).config,
    ).toEqual({ url: 'https://ops.example.com/hook', secret: null });
    // On a new channel there is nothing stored to remove.
    expect(
      createChannelBody({
        ...emptyChannelDraft('webhook'),
        url: 'https://x.example',
        clearSecret: true,
      }).config,
    ).toEqual({ url: 'https://x.example' });
  });

  it('keeps a Slack or Teams URL (it holds a token) unless a new one is typed', () => {
    const slack = channel({
      type: 'slack',
      config: { url_host: 'hooks.slack.com', secret_set: true },
    });
    const draft = draftFromChannel(slack);
    expect(draft.url).toBe('');
    expect(storedSecret(slack)).toEqual({ set: true, shown: 'hooks.slack.com' });
    expect(channelDestination(slack)).toBe('hooks.slack.com');
    expect(updateChannelBody({ ...draft, enabled: false }, slack)).toEqual({ enabled: false });
    expect(
      updateChannelBody({ ...draft, url: 'https://hooks.slack.com/services/T/B/new' }, slack),
    ).toEqual({ config: { url: 'https://hooks.slack.com/services/T/B/new' } });
  });

  it("edits an e-mail channel's shown fields and keeps its password", () => {
    const mail = channel({
      type: 'email',
      config: {
        host: 'smtp.example.com',
        port: 2525,
        tls: 'none',
        username: 'hw',
        from: 'hostwatch@example.com',
        to: ['oncall@example.com'],
        secret_set: true,
      },
    });
    const draft = draftFromChannel(mail);
    expect(draft).toMatchObject({ port: '2525', tls: 'none', to: 'oncall@example.com' });
    expect(updateChannelBody({ ...draft, port: '25' }, mail).config).toEqual({
      host: 'smtp.example.com',
      port: 25,
      tls: 'none',
      username: 'hw',
      from: 'hostwatch@example.com',
      to: ['oncall@example.com'],
    });
  });
});

describe("channel dialog: the API's answers on their fields", () => {
  it('puts config problems on the config field they name', () => {
    const errors = channelErrors(
      badRequest([
        { field: 'config.url', problem: 'must be an http or https URL' },
        { field: 'name', problem: 'name must be longer than or equal to 1 characters' },
      ]),
      'webhook',
    );
    expect(errors).toEqual({
      fields: {
        url: ['must be an http or https URL'],
        name: ['name must be longer than or equal to 1 characters'],
      },
      general: [],
    });
    expect(
      channelErrors(
        badRequest([{ field: 'config.to[1]', problem: 'must be an e-mail address' }]),
        'email',
      ).fields,
    ).toEqual({ to: ['must be an e-mail address'] });
  });

  it('keeps problems of fields the dialog does not show, and a taken name on the name', () => {
    expect(
      channelErrors(
        badRequest([{ field: 'config.channel', problem: 'is not a setting' }]),
        'slack',
      ),
    ).toEqual({ fields: {}, general: ['channel: is not a setting'] });
    expect(
      channelErrors(
        {
          status: 409,
          error: { statusCode: 409, message: "A channel named 'ops' already exists" },
        },
        'webhook',
      ),
    ).toEqual({ fields: { name: ["A channel named 'ops' already exists"] }, general: [] });
  });
});
