import { GroupedStatement } from './grouped-statement.js';

/** A statement that records each group it runs and ends when the test says so. */
function recordingStatement() {
  const groups: number[][] = [];
  const ends: (() => void)[] = [];
  const statement = new GroupedStatement<number, number>(
    (inputs) =>
      new Promise((resolve, reject) => {
        groups.push(inputs);
        ends.push(() =>
          inputs.includes(13) ? reject(new Error('unlucky')) : resolve(inputs.map((n) => n * 10)),
        );
      }),
    3,
  );
  const endNext = async () => {
    ends.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { statement, groups, endNext };
}

describe('GroupedStatement', () => {
  it('should run a lone call at once, and group the calls made while a statement is out', async () => {
    const { statement, groups, endNext } = recordingStatement();
    const first = statement.call(1);
    expect(groups).toEqual([[1]]);
    const waiting = [2, 3, 4, 5].map((n) => statement.call(n));
    expect(groups).toHaveLength(1);

    await endNext();
    expect(await first).toBe(10);
    expect(groups).toEqual([[1], [2, 3, 4]]); // at most 3 a group
    await endNext();
    expect(groups).toEqual([[1], [2, 3, 4], [5]]);
    await endNext();
    expect(await Promise.all(waiting)).toEqual([20, 30, 40, 50]);

    const later = statement.call(6);
    expect(groups.at(-1)).toEqual([6]);
    await endNext();
    expect(await later).toBe(60);
  });

  it('should fail every call of a failed group, and only those', async () => {
    const { statement, endNext } = recordingStatement();
    const first = statement.call(1);
    const unlucky = [12, 13, 14].map((n) =>
      statement.call(n).then(String, (error: Error) => error.message),
    );
    const after = statement.call(15);
    await endNext();
    await endNext();
    await endNext();
    expect(await first).toBe(10);
    expect(await Promise.all(unlucky)).toEqual(['unlucky', 'unlucky', 'unlucky']);
    expect(await after).toBe(150);
  });
});
