import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { transportOf, webhookSecrets } from '../../src/transport.ts';

describe('addresses travel over TLS, or stay on this machine', () => {
  const none = {};

  it('takes https: and libsql: (TLS) anywhere, and plain http: on loopback', () => {
    expect(transportOf(none, 'GSB_BASE_URL', 'https://gsb.example.ir')).toBe('tls');
    expect(transportOf(none, 'LIBSQL_URL', 'libsql://db.turso.io')).toBe('tls');
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080', 'http://127.9.9.9']) {
      expect(transportOf(none, 'LIBSQL_URL', url)).toBe('loopback');
    }
  });

  it.each([
    ['http://10.0.0.5:8080'],
    ['http://sqld.internal'],
    ['libsql://db.turso.io?tls=0'],
    ['ftp://gsb.example.ir'],
    ['ws://127.0.0.1:8080'],
    ['not a url'],
  ])('refuses %s, naming the variable', (url) => {
    expect(() => transportOf(none, 'LIBSQL_URL', url)).toThrow(
      expect.objectContaining({ name: 'ConfigError', variables: ['LIBSQL_URL'] }),
    );
  });

  it('lets an operator name the private hosts reached without TLS, and calls them plain', () => {
    const env = { PLAIN_HTTP_HOSTS: 'sqld.internal, 10.0.0.5' };
    expect(transportOf(env, 'LIBSQL_URL', 'http://sqld.internal:8080')).toBe('plain');
    expect(transportOf(env, 'LIBSQL_URL', 'libsql://10.0.0.5?tls=0')).toBe('plain');
    expect(() => transportOf(env, 'GSB_BASE_URL', 'http://10.0.0.6')).toThrow(ConfigError);
  });
});

describe("a webhook's secrets", () => {
  const long = 'a'.repeat(32);
  const other = 'b'.repeat(40);

  it('are at least 32 characters', () => {
    expect(webhookSecrets({ GAP_WEBHOOK_SECRET: long }, 'GAP')).toEqual([long]);
    expect(() => webhookSecrets({ GAP_WEBHOOK_SECRET: 'a'.repeat(31) }, 'GAP')).toThrow(
      expect.objectContaining({ variables: ['GAP_WEBHOOK_SECRET'] }),
    );
    expect(() => webhookSecrets({}, 'GAP')).toThrow(expect.objectContaining({ variables: ['GAP_WEBHOOK_SECRET'] }));
  });

  it('are two while one is rotated: the new one and the one it replaces', () => {
    expect(webhookSecrets({ BALE_WEBHOOK_SECRET: other, BALE_WEBHOOK_SECRET_PREVIOUS: long }, 'BALE')).toEqual([
      other,
      long,
    ]);
    expect(() => webhookSecrets({ BALE_WEBHOOK_SECRET: other, BALE_WEBHOOK_SECRET_PREVIOUS: 'old' }, 'BALE')).toThrow(
      expect.objectContaining({ variables: ['BALE_WEBHOOK_SECRET_PREVIOUS'] }),
    );
  });
});
