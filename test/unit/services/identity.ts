/** A test identity of docs/bus.md#national-code, bound to every personal service under test. */
import type { Identity } from '../../../src/types.ts';

export const IDENTITY: Identity = { nationalCode: '0499370899', mobile: '09022002580' };

/** 29 November 2026, noon UTC: 1405/09/08 in Tehran. */
export const NOW = Date.UTC(2026, 10, 29, 12);
