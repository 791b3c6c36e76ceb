interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * One statement for many callers: a call made while the previous statement is still out waits,
 * and all that waited go together in the next one (up to `max`). A lone call runs at once, so
 * nothing is held back when traffic is light; under load, one round trip serves many calls.
 * `run` answers one output per input, in order; if it fails, every call of its group fails.
 */
export class GroupedStatement<In, Out> {
  private readonly waiting: Waiting<In, Out>[] = [];
  private running = false;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly max = 200,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.max);
      try {
        const outputs = await this.run(group.map((call) => call.input));
        group.forEach((call, index) => call.resolve(outputs[index]));
      } catch (error) {
        for (const call of group) call.reject(error);
      }
    }
    this.running = false;
  }
}
