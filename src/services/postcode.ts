/** نشانی از کد پستی: the address registered for a postcode (Iran Post GNAF). */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faServices } from '../i18n/fa-services.ts';
import { postcode } from '../validation/postcode.ts';
import type { PublicService } from './types.ts';

const text = v.optional(v.nullable(v.string()), '');
/** House number, floor and unit may come as numbers or strings; floor 0 is the ground floor. */
const count = v.optional(v.nullable(v.pipe(v.union([v.string(), v.number()]), v.transform(String))), '');

const Address = v.object({
  province: v.string(),
  township: v.string(),
  locality: text,
  street: text,
  street2: text,
  houseNumber: count,
  floor: count,
  unit: count,
  buildingName: text,
});

type Address = v.InferOutput<typeof Address>;

function render(address: Address, answers: Readonly<Record<string, string>>): string {
  const t = faServices.postcode;
  const numbered = (label: string, value: string | null) => (value ? `${label} ${toPersianDigits(value)}` : '');
  const lines = [
    `${t.province} ${address.province}، ${t.township} ${address.township}`,
    [address.locality, address.street, address.street2, numbered(t.plaque, address.houseNumber)]
      .concat(numbered(t.floor, address.floor), numbered(t.unit, address.unit))
      .filter(Boolean)
      .join('، '),
    address.buildingName ?? '',
  ];
  return [`📮 ${t.heading} ${toPersianDigits(answers.postcode ?? '')}:`, ...lines.filter(Boolean)].join('\n');
}

export const postcodeService: PublicService<Address> = {
  id: 'postcode',
  title: faServices.postcode.title,
  phrases: faServices.postcode.phrases,
  category: faServices.postcode.category,
  identity: false,
  inputs: [
    {
      name: 'postcode',
      prompt: faServices.postcode.prompt,
      help: faServices.postcode.help,
      schema: postcode,
      // Ten digits in Iran Post's pattern; route.ts has already set aside what is also a national code.
      standsAlone: () => true,
    },
  ],
  upstream: {
    provider: 'gsb',
    operation: 'post/gnaf/addressByPostcode',
    pid: 'pishkhan-postcode-v1',
    body: (answers) => ({ postcode: answers.postcode ?? '' }),
    subject: (body) => body.postcode,
    result: Address,
  },
  render,
  notFound: faServices.postcode.notFound,
};
