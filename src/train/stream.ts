/** A DataLoader read one batch at a time across epochs, with its position in snapshots. */
import type { DataLoader, DataLoaderState } from '../data/dataloader.js';

/**
 * next() gives the loader's next batch, moving to the next epoch's (seeded) order when one ends,
 * so a task's trainStep can pull batches without owning a for-loop. state()/load() carry the
 * loader's position (epoch, batch, transform RNG) through a snapshot.
 */
export class BatchStream<B> {
  private it: Iterator<B> | null = null;

  constructor(readonly loader: DataLoader<any, B>) {}

  next(): B {
    if (!this.it) this.it = this.loader[Symbol.iterator]();
    let r = this.it.next();
    if (r.done) {
      this.it = this.loader[Symbol.iterator]();
      r = this.it.next();
      if (r.done) throw new Error('BatchStream.next: the loader gives no batches (an empty dataset?)');
    }
    return r.value;
  }

  state(): DataLoaderState {
    return this.loader.stateDict();
  }

  load(s: DataLoaderState): void {
    this.loader.loadStateDict(s);
    this.it = null;
  }
}
