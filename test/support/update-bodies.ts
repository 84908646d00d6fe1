/**
 * Generated webhook bodies for fuzzing, per messenger: real updates with random edits (fields
 * dropped, retyped, added), cut or spliced text, random JSON, random text, random forms and deeply
 * nested JSON. Seeded by the caller, so a failure replays. Only the caller's chat id is ever a
 * valid chat id, and its phone number the only one shared: bodies posted to a shared worker reach
 * no other test's chat, nor spend another number's allowance of codes.
 */
import fc from 'fast-check';

export type FuzzedMessenger = 'gap' | 'soroush' | 'bale' | 'soroush-legacy';

/** The chat every valid body is addressed to, and the number its contact cards share. */
export interface FuzzedChat {
  id: string;
  /** International digits, `98…`. */
  phone: string;
}

export interface FuzzedBody {
  contentType: string;
  text: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The keys that name a chat or its sender, never edited: see the module's header. */
const ID_KEYS = new Set(['chat_id', 'chat', 'id', 'from', 'user_id', 'sender_id']);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  '',
];

/** Updates as docs/messengers.md shows them, one of each kind the adapters read. */
function samples(messenger: FuzzedMessenger, { id: chatId, phone }: FuzzedChat): Json[] {
  if (messenger === 'gap') {
    const from = JSON.stringify({ id: Number(chatId), name: 'علی', user: 'ali' });
    return [
      { chat_id: chatId, type: 'text', data: 'سلام', from },
      { chat_id: chatId, type: 'join', from },
      {
        chat_id: chatId,
        type: 'triggerButton',
        data: JSON.stringify({ data: 'confirm:1', callback_id: 'cb-1' }),
        from,
      },
      { chat_id: chatId, type: 'contact', data: JSON.stringify({ phone: `+${phone}`, name: 'علی' }), from },
      {
        chat_id: chatId,
        type: 'submitForm',
        data: JSON.stringify({ data: 'a=1', message_id: 9, callback_id: 'cb-2' }),
      },
    ];
  }
  if (messenger === 'soroush-legacy') {
    const message = { from: chatId, to: 'bot', time: '1538399819589' };
    return [
      { ...message, type: 'TEXT', body: 'سلام' },
      { ...message, type: 'START' },
      { ...message, type: 'TEXT', body: '\u2063confirm:1' },
      { ...message, type: 'FILE', fileType: 'CONTACT', phoneNo: phone, fileUrl: 'https://x.test/c' },
      { ...message, type: 'SELF_SEEN' },
    ];
  }
  const chat = { id: Number(chatId), type: 'private', first_name: 'علی' };
  const from = { id: Number(chatId), is_bot: false, first_name: 'علی' };
  return [
    { update_id: 1001, message: { message_id: 55, date: 1700000000, chat, from, text: '/start' } },
    { update_id: 1002, callback_query: { id: 'cbq-1', from, data: 'confirm:1', message: { message_id: 56, chat } } },
    {
      update_id: 1003,
      message: { message_id: 57, chat, from, contact: { phone_number: phone, user_id: Number(chatId) } },
    },
    { update_id: 1004, message: { message_id: 58, chat, location: { latitude: 35.74, longitude: 51.37 } } },
    { update_id: 1005, edited_message: { message_id: 59, chat, from, text: 'ویرایش' } },
  ];
}

/** One random edit: at the path numbered `at`, drop the value, replace it, or add a member beside it. */
interface Edit {
  op: 'drop' | 'replace' | 'add';
  at: number;
  key: string;
  value: Json;
}

const anyJson = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
/** Strings that test a parser: empty, huge, control characters, unpaired surrogates, Persian, bidi marks. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '۱۲۳', '\u202e', 'null', '{}', '[', '"'),
  fc.nat({ max: 10_000 }).map((length) => 'x'.repeat(length)),
);
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  anyJson,
  awkwardString,
  fc.constantFrom<Json>(0, -1, 2 ** 53, 1e308, -0.5, true, [], {}),
);
const edit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('drop', 'replace', 'add'),
  at: fc.nat(),
  key: fc.oneof(fc.constantFrom('type', 'data', 'text', 'body', 'message', 'update_id'), fc.string({ maxLength: 8 })),
  value: anyValue,
});

function applyEdits(sample: Json, edits: readonly Edit[]): Json {
  const copy = structuredClone(sample);
  for (const { op, at, key, value } of edits) {
    const paths = editablePaths(copy);
    if (paths.length === 0) break;
    const [parent, name] = paths[at % paths.length] as [Record<string, Json> | Json[], string | number];
    if (op === 'replace') (parent as Record<string, Json>)[name] = value;
    else if (op === 'drop' && Array.isArray(parent)) parent.splice(Number(name), 1);
    else if (op === 'drop') delete parent[name as keyof typeof parent];
    else if (!Array.isArray(parent) && !ID_KEYS.has(key)) parent[key] = value;
  }
  return copy;
}

function editablePaths(value: Json, found: [Record<string, Json> | Json[], string | number][] = []) {
  if (value === null || typeof value !== 'object') return found;
  for (const [name, child] of Object.entries(value)) {
    if (ID_KEYS.has(name)) continue;
    found.push([value, Array.isArray(value) ? Number(name) : name]);
    editablePaths(child, found);
  }
  return found;
}

/** A body as the messenger would encode it: Gap as a form (nested values as JSON strings) or JSON. */
function encode(messenger: FuzzedMessenger, update: Json, asForm: boolean): FuzzedBody {
  if (messenger === 'gap' && asForm && update !== null && typeof update === 'object' && !Array.isArray(update)) {
    const fields = Object.entries(update).map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]);
    return { contentType: 'application/x-www-form-urlencoded', text: new URLSearchParams(fields).toString() };
  }
  return { contentType: 'application/json', text: JSON.stringify(update) };
}

/** The body's text cut short, or with a random string spliced in at a random place. */
const damaged = (text: string) =>
  fc.oneof(
    fc.nat({ max: text.length }).map((end) => text.slice(0, end)),
    fc
      .tuple(fc.nat({ max: text.length }), fc.string({ unit: 'binary', maxLength: 6 }))
      .map(([at, junk]) => text.slice(0, at) + junk + text.slice(at)),
  );

/** JSON nested past every update's depth, around a real field or alone. */
const deeplyNested = fc
  .tuple(fc.integer({ min: 20, max: 5000 }), fc.boolean())
  .map(([depth, inObject]) =>
    inObject ? `{"data":${'['.repeat(depth)}${']'.repeat(depth)}}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/** A form of Gap's field names and random ones, some given twice; its chat id valid only when it is `chatId`. */
const randomForm = (chatId: string) =>
  fc
    .array(
      fc.tuple(
        fc.constantFrom('chat_id', 'type', 'data', 'from', 'junk'),
        fc.oneof(fc.constant(chatId), fc.constantFrom('text', 'triggerButton', 'contact'), awkwardString),
      ),
      { maxLength: 6 },
    )
    .map((fields) => {
      const form = new URLSearchParams();
      for (const [key, value] of fields) form.append(key, key === 'chat_id' && value !== chatId ? `!${value}` : value);
      return form.toString();
    });

/** Bodies for one messenger's parser, every one of them addressed, if valid at all, to `chat`. */
export function fuzzedBodies(messenger: FuzzedMessenger, chat: FuzzedChat): fc.Arbitrary<FuzzedBody> {
  const sample = fc.constantFrom(...samples(messenger, chat));
  const edited = fc
    .tuple(sample, fc.array(edit, { maxLength: 4 }), fc.boolean())
    .map(([update, edits, asForm]) => encode(messenger, applyEdits(update, edits), asForm));
  const text = (arbitrary: fc.Arbitrary<string>) =>
    fc.tuple(arbitrary, fc.constantFrom(...CONTENT_TYPES)).map(([body, contentType]) => ({ contentType, text: body }));
  return fc.oneof(
    { arbitrary: edited, weight: 6 },
    { arbitrary: sample.chain((update) => text(damaged(encode(messenger, update, true).text))), weight: 2 },
    { arbitrary: text(anyJson.map((value) => JSON.stringify(value))), weight: 1 },
    { arbitrary: text(fc.string({ unit: 'binary', maxLength: 200 })), weight: 1 },
    { arbitrary: text(randomForm(chat.id)), weight: messenger === 'gap' ? 1 : 0 },
    { arbitrary: text(deeplyNested), weight: 1 },
  );
}
