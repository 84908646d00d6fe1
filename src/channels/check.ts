/** Validating a webhook's parts with Valibot, for every adapter. */
import * as v from 'valibot';
import { ChannelError } from '../errors.ts';

/**
 * The value, as `schema` outputs it.
 * @throws ChannelError naming the first invalid field (as `name.path`), never its value, which may be personal
 */
export function check<S extends v.GenericSchema>(
  channel: string,
  schema: S,
  value: unknown,
  name = 'update',
): v.InferOutput<S> {
  const parsed = v.safeParse(schema, value);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const path = issue ? v.getDotPath(issue) : null;
  throw new ChannelError(channel, `${path ? `${name}.${path}` : name} is invalid`);
}
