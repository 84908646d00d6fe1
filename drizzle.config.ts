import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations from src/store/schema.ts; `npm run db:migrate`
// applies them to LIBSQL_URL (a local server, Turso, or a self-hosted sqld).
export default defineConfig({
  dialect: 'turso',
  schema: './src/store/schema.ts',
  out: './migrations',
  dbCredentials: {
    url: process.env.LIBSQL_URL ?? 'http://127.0.0.1:8080',
    authToken: process.env.LIBSQL_AUTH_TOKEN,
  },
});
