// The bindings the integration project gives the worker (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    [name: string]: unknown;
    LIBSQL_URL: string;
    GSB_BASE_URL: string;
    GAP_API_BASE: string;
    GAP_BOT_TOKEN: string;
    GAP_WEBHOOK_SECRET: string;
  }
  interface GlobalProps {
    mainModule: typeof import('../../src/index.ts');
  }
}
