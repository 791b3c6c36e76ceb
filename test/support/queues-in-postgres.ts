// Setup file of the jest project that runs the queue specs again with REDIS_URL unset: their
// queues live in each test's database, on BullMQ's PostgreSQL backend (test-database.ts reads it).
process.env.TEST_QUEUES = 'postgres';
