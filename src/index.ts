/** The Cloudflare Workers entry: wires the app to the Workers runtime. */
import { createApp } from './app.ts';

const app = createApp({ waitUntil: (c, work) => c.executionCtx.waitUntil(work) });

export default app;
