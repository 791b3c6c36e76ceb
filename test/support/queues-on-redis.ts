// Setup file of the main integration project: queues on Redis, whatever a spec of the PostgreSQL
// project run before in the same worker left in the environment.
delete process.env.TEST_QUEUES;
