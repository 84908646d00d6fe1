/** The seed of every generated input: fixed, so a run repeats; FUZZ_SEED (in Node) explores another. */
const { process } = globalThis as { process?: { env: Record<string, string | undefined> } };
export const FUZZ_SEED = Number(process?.env.FUZZ_SEED ?? 20261206);
