// Runs outside Jest's module system (it cannot import src/): it only names this run, so the
// template and the databases of this run can be told from those of a run beside it.
export default function globalSetup(): void {
  process.env.CIRT_TEST_RUN = `r${Date.now().toString(36)}`;
}
