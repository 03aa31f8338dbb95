import { watchFrame, watchLine } from '../format/rollouts.js';
import { type OutputStream } from '../io.js';
import { type Rollout } from '../resources/rollouts.js';

const CURSOR_UP = (lines: number) => `\u001b[${lines}A`;
const CLEAR_DOWN = '\u001b[0J';

/**
 * Draws `rollouts watch`: on a terminal the frame is redrawn in place (cursor up over the last
 * frame, clear, draw); elsewhere one line per change (repeats left out), for logs and CI.
 */
export class WatchRenderer {
  private drawn = 0;
  private lastLine: string | undefined;
  private last: Rollout | undefined;
  private notice: string | undefined;

  constructor(
    private readonly out: OutputStream,
    private readonly warn: OutputStream,
    private readonly now: () => Date,
  ) {}

  update(rollout: Rollout): void {
    this.last = rollout;
    if (this.out.isTTY) {
      this.redraw();
      return;
    }
    const line = watchLine(rollout);
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.out.write(`${line}\n`);
  }

  /** A note (live updates dropped): under the frame on a terminal, a line on stderr otherwise. */
  note(message: string): void {
    if (this.out.isTTY) {
      this.notice = message;
      if (this.last) this.redraw();
    } else {
      this.warn.write(`${message}\n`);
    }
  }

  private redraw(): void {
    let frame = watchFrame(this.last!, this.now(), this.out.columns ?? 120);
    if (this.notice) frame += `\n${this.notice}\n`;
    const erase = this.drawn > 0 ? `${CURSOR_UP(this.drawn)}${CLEAR_DOWN}` : '';
    this.out.write(erase + frame);
    this.drawn = frame.split('\n').length - 1;
  }
}
