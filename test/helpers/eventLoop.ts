/**
 * Runs `work` and counts the turns the event loop made meanwhile (a `setImmediate` chain): about one when `work`
 * holds the loop from start to end, many when it gives it back.
 */
export async function loopTurnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const spin = () => {
    turns++;
    if (running) setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return { result: await work(), turns };
  } finally {
    running = false;
  }
}
