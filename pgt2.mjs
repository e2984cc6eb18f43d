process.once("SIGTERM", () => { console.log("got TERM"); process.exit(0); });
console.log('before', process.listenerCount('SIGTERM'));
const { PGlite } = await import('@electric-sql/pglite');
const { vector } = await import('@electric-sql/pglite-pgvector');
const db = new PGlite('/tmp/sp/data/pgdata', { extensions: { vector } });
console.log('constructed', process.listenerCount('SIGTERM'), process.listeners('SIGTERM').map(String).map(s=>s.slice(0,80)));
await db.waitReady;
console.log('ready', process.listenerCount('SIGTERM'), process.listeners('SIGTERM').map(String).map(s=>s.slice(0,120)));
