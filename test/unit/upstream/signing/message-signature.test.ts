import { describe, expect, it } from 'vitest';
import {
  coveredComponents,
  fieldValue,
  type RequestMessage,
  type ResponseMessage,
  readSignature,
  requestMessage,
  responseMessage,
  SignatureBaseError,
  SignatureFormatError,
  signatureBase,
  signMessage,
  verifyBase,
} from '../../../../src/upstream/signing/message-signature.ts';

const request = (url: string, headers: RequestMessage['headers'] = []): RequestMessage => ({
  method: 'POST',
  url,
  headers,
});
/** The base's lines without the final @signature-params line. */
const lines = (base: string) => base.split('\n').slice(0, -1);

describe('RFC 9421 component values', () => {
  it('canonicalizes fields as the examples of §2.1 do: trimmed, obs-folds unfolded, repeats joined', () => {
    const message = request('https://www.example.com/', [
      ['Host', 'www.example.com'],
      ['Date', 'Tue, 20 Apr 2021 02:07:56 GMT'],
      ['X-OWS-Header', '   Leading and trailing whitespace.   '],
      ['X-Obs-Fold-Header', 'Obsolete\r\n    line folding.'],
      ['Cache-Control', 'max-age=60'],
      ['Cache-Control', '   must-revalidate'],
      ['Example-Dict', ' a=1,    b=2;x=1;y=2,   c=(a   b   c)'],
      ['X-Empty-Header', ' '],
    ]);
    const names = [
      'host',
      'date',
      'x-ows-header',
      'x-obs-fold-header',
      'cache-control',
      'example-dict',
      'x-empty-header',
    ];
    expect(lines(signatureBase(coveredComponents(names, {}), message))).toEqual([
      '"host": www.example.com',
      '"date": Tue, 20 Apr 2021 02:07:56 GMT',
      '"x-ows-header": Leading and trailing whitespace.',
      '"x-obs-fold-header": Obsolete line folding.',
      '"cache-control": max-age=60, must-revalidate',
      '"example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)',
      '"x-empty-header": ',
    ]);
  });

  it('derives the request components of §2.2 from the target URI', () => {
    const message = request('https://WWW.Example.com:443/path?param=value&foo=bar&baz=bat%2Dman#fragment');
    const covered = coveredComponents(['@method', '@target-uri', '@authority', '@scheme', '@path', '@query'], {});
    expect(lines(signatureBase(covered, message))).toEqual([
      '"@method": POST',
      '"@target-uri": https://www.example.com/path?param=value&foo=bar&baz=bat%2Dman',
      '"@authority": www.example.com',
      '"@scheme": https',
      '"@path": /path',
      '"@query": ?param=value&foo=bar&baz=bat%2Dman',
    ]);
    const partial = coveredComponents(['@query', '@path', '@authority'], {});
    const query = (url: string) => lines(signatureBase(partial, request(url)));
    expect(query('http://www.example.com:8080/path?queryString')).toEqual([
      '"@query": ?queryString',
      '"@path": /path',
      '"@authority": www.example.com:8080',
    ]);
    expect(query('http://www.example.com')).toEqual(['"@query": ?', '"@path": /', '"@authority": www.example.com']);
  });

  it('derives @status from a response and binds request components to it with ;req (§2.4)', () => {
    const answered = request('https://gsb.example/api/op', [['Idempotency-Key', 'k-1']]);
    const response: ResponseMessage = { status: 404, headers: [['Content-Type', 'application/problem+json']] };
    const covered = coveredComponents(
      ['@status', 'content-type', { name: '@method', req: true }, { name: 'idempotency-key', req: true }],
      { created: 1, keyid: 'bus' },
    );
    expect(signatureBase(covered, response, answered)).toBe(
      [
        '"@status": 404',
        '"content-type": application/problem+json',
        '"@method";req: POST',
        '"idempotency-key";req: k-1',
        '"@signature-params": ("@status" "content-type" "@method";req "idempotency-key";req);created=1;keyid="bus"',
      ].join('\n'),
    );
    expect(() => signatureBase(covered, response)).toThrow(SignatureBaseError);
  });

  it('reads a fetch Request and Response as abstract messages', () => {
    const fetchRequest = new Request('https://gsb.example/x', { method: 'POST', headers: { 'X-Request-Id': 'r1' } });
    const message = requestMessage(fetchRequest);
    expect(message.method).toBe('POST');
    expect(message.url).toBe('https://gsb.example/x');
    expect(fieldValue(message.headers, 'x-request-id')).toBe('r1');
    const answer = responseMessage(
      new Response('{}', { status: 201, headers: { 'Content-Type': 'application/json' } }),
    );
    expect(answer.status).toBe(201);
    expect(fieldValue(answer.headers, 'content-type')).toBe('application/json');
  });
});

describe('RFC 9421 signature bases that cannot be built', () => {
  const message = request('https://gsb.example/op', [['content-type', 'application/json']]);
  const base = (components: Parameters<typeof coveredComponents>[0]) => () =>
    signatureBase(coveredComponents(components, {}), message);

  it('refuses an invalid covered list (§2, §2.5)', () => {
    expect(base([{ name: '@method', req: true }])).toThrow(SignatureFormatError); // req targets a response only
    expect(base(['@query-param'])).toThrow(SignatureFormatError); // not supported here
    expect(base(['@signature-params'])).toThrow(SignatureFormatError);
    expect(base(['Content-Type'])).toThrow(SignatureFormatError); // names are lowercase
    expect(base(['content-type', 'content-type'])).toThrow(SignatureFormatError);
  });

  it('refuses a message that lacks a covered component or would smuggle a line into the base', () => {
    expect(base(['x-request-id'])).toThrow(SignatureBaseError);
    expect(base(['@status'])).toThrow(SignatureBaseError);
    const injected = request('https://gsb.example/op', [['x-a', 'v\n"@method": GET']]);
    expect(() => signatureBase(coveredComponents(['x-a'], {}), injected)).toThrow(SignatureBaseError);
    const persian = request('https://gsb.example/op', [['x-a', 'کد']]);
    expect(() => signatureBase(coveredComponents(['x-a'], {}), persian)).toThrow(SignatureBaseError);
    expect(() => signatureBase(coveredComponents(['@path'], {}), request('/relative'))).toThrow(SignatureBaseError);
  });
});

describe('RFC 9421 Signature-Input and Signature fields', () => {
  it('reads back what signMessage wrote, and the signature verifies', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const message = request('https://gsb.example/op', [['content-type', 'application/json']]);
    const covered = coveredComponents(['@method', 'content-type'], {
      created: 10,
      nonce: 'n',
      keyid: 'k',
      alg: 'ed25519',
    });
    const fields = await signMessage(pair.privateKey, covered, message, { label: 'sig1' });
    const signed: RequestMessage = {
      ...message,
      headers: [...message.headers, ['Signature-Input', fields.signatureInput], ['Signature', fields.signature]],
    };
    const received = readSignature(signed, 'sig1');
    expect(received?.components).toEqual([
      { name: '@method', req: false },
      { name: 'content-type', req: false },
    ]);
    expect(received?.params).toEqual({ created: 10, nonce: 'n', keyid: 'k', alg: 'ed25519' });
    const base = signatureBase(covered, signed);
    expect(await verifyBase(pair.publicKey, base, received?.signature ?? new Uint8Array())).toBe(true);
    expect(await verifyBase(pair.publicKey, base, new Uint8Array(63))).toBe(false);
  });

  it('finds no signature in an unsigned message or under another label', () => {
    const unsigned = request('https://gsb.example/op');
    expect(readSignature(unsigned, 'sig1')).toBeNull();
    const other = request('https://gsb.example/op', [
      ['signature-input', 'sig2=()'],
      ['signature', 'sig2=:AA==:'],
    ]);
    expect(readSignature(other, 'sig1')).toBeNull();
  });

  it.each([
    ['a label in one field only', 'sig1=("@method")', 'sig1=:AA==:, sig2=:AA==:'],
    ['a Signature-Input that is not an inner list', 'sig1="@method"', 'sig1=:AA==:'],
    ['a Signature that is not a byte sequence', 'sig1=("@method")', 'sig1="AA=="'],
    ['a component that is not a string', 'sig1=(method)', 'sig1=:AA==:'],
    ['an unknown component parameter', 'sig1=("content-type";sf)', 'sig1=:AA==:'],
    ['an unknown signature parameter', 'sig1=("@method");created=1;foo=2', 'sig1=:AA==:'],
    ['a signature parameter of the wrong type', 'sig1=("@method");created="1"', 'sig1=:AA==:'],
    ['a decimal where created must be an integer', 'sig1=("@method");created=1.5', 'sig1=:AA==:'],
    ['a label given twice', 'sig1=("@method"), sig1=("@path")', 'sig1=:AA==:'],
    ['a signature parameter given twice', 'sig1=("@method");created=1;created=2', 'sig1=:AA==:'],
    ['a signature given twice', 'sig1=("@method")', 'sig1=:AA==:, sig1=:AQ==:'],
    ['a malformed field', 'sig1=("@method"', 'sig1=:AA==:'],
  ])('refuses %s', (_case, input, signature) => {
    const message = request('https://gsb.example/op', [
      ['signature-input', input],
      ['signature', signature],
    ]);
    expect(() => readSignature(message, 'sig1')).toThrow(SignatureFormatError);
  });
});
