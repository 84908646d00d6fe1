import { describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { requiredSecrets } from '../../../dev/dev-worker.ts';

describe('the secrets the dev worker passes through its environment', () => {
  it('are the ones wrangler itself reads as required from wrangler.toml', () => {
    const config = unstable_readConfig({ config: 'wrangler.toml' }, { hideWarnings: true });
    expect(config.secrets?.required?.length).toBeGreaterThan(0);
    expect([...requiredSecrets()].sort()).toEqual([...(config.secrets?.required ?? [])].sort());
  });

  it('are none for a config that requires none', () => {
    expect(requiredSecrets('bench/bare/wrangler.toml').size).toBe(0);
  });
});
