import { fstatSync } from 'node:fs';
import { clearLine, cursorTo } from 'node:readline';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { StatusBar } from '../batch/progress.js';

/** What the screen writes to: a process stream, or a stand-in with the same shape. */
export interface TextStream {
  write(chunk: string, callback?: (error?: Error | null) => void): unknown;
  isTTY?: boolean;
  columns?: number;
  writable?: boolean | undefined;
  fd?: number;
}

/** The stdout and stderr that every other part of a command writes through. */
export interface ScreenStreams {
  stdout: TextStream;
  stderr: TextStream;
}

const BAR_WIDTH = 24;
/**
 * Columns the bar leaves free at the right: the terminal echoes Ctrl-C as `^C` after the bar's
 * last character, and an echo that wraps would push the bar's line up out of its reach.
 */
const ECHO_ROOM = 3;

/**
 * The one writer for a terminal that shows a progress bar on stderr. Every line (results,
 * messages) comes through here, so none lands in the middle of the bar: messages are printed
 * above it with cli-progress's own log, and a result for a stdout that is the same terminal has
 * the bar step aside (erased, then drawn again under the result), which cli-progress cannot do
 * for another stream. With no bar open, or a stdout elsewhere (a file, a pipe), writes go
 * straight through.
 */
export class TerminalScreen {
  readonly streams: ScreenStreams;
  private multiBar: MultiBar | undefined;
  private readonly sharesTerminal: boolean;

  constructor(
    private readonly stdout: TextStream,
    private readonly stderr: TextStream,
  ) {
    this.sharesTerminal = sameTerminal(stdout, stderr);
    this.streams = {
      stdout: {
        get writable() {
          return stdout.writable;
        },
        write: (chunk, callback) => this.writeResult(chunk, callback),
      },
      stderr: { write: (chunk) => this.writeMessage(chunk) },
    };
  }

  /** Draws the status bar at the bottom of stderr, until its `stop`. */
  openBar(): StatusBar {
    const multiBar = new MultiBar(
      {
        stream: this.stderr as NodeJS.WritableStream,
        format: '{bar} {status}',
        barsize: BAR_WIDTH,
        hideCursor: true,
        fps: 5,
        // Long result lines wrap on the terminal instead of being cut at its edge.
        linewrap: true,
        // Drawn again after a result steps it aside, though its text did not change.
        forceRedraw: true,
        // The summary that follows says it all; a last frame would be a stale line above it.
        clearOnComplete: true,
      },
      Presets.shades_classic,
    );
    const bar: SingleBar = multiBar.create(1, 0, { status: 'starting' });
    this.multiBar = multiBar;
    return {
      update: (done, total, text) => {
        bar.setTotal(Math.max(1, total));
        bar.update(done, { status: this.fit(text) });
      },
      stop: () => {
        if (this.multiBar !== multiBar) return;
        // Draws its last state first, so stop() clears what is on the screen now.
        multiBar.update();
        multiBar.stop();
        this.multiBar = undefined;
      },
    };
  }

  /** A message for stderr: printed above the bar at once (not at the next frame), keeping order. */
  private writeMessage(chunk: string): unknown {
    if (this.multiBar === undefined) return this.stderr.write(chunk);
    this.multiBar.log(chunk);
    this.multiBar.update();
    return true;
  }

  /** Result text for stdout: on the bar's terminal, the bar steps aside for it. */
  private writeResult(chunk: string, callback?: (error?: Error | null) => void): unknown {
    if (this.multiBar === undefined || !this.sharesTerminal)
      return this.stdout.write(chunk, callback);
    // The bar is one line and the cursor is on it: erase it, so the result starts at column 0.
    cursorTo(this.stderr as NodeJS.WritableStream, 0);
    clearLine(this.stderr as NodeJS.WritableStream, 0);
    const accepted = this.stdout.write(chunk, callback);
    this.multiBar.update();
    return accepted;
  }

  /** The status text cut to what fits on the bar's line. */
  private fit(text: string): string {
    const room = (this.stderr.columns ?? 80) - BAR_WIDTH - 1 - ECHO_ROOM;
    return text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1))}…`;
  }
}

/** Whether stdout and stderr are the same terminal device, so their lines share one screen. */
function sameTerminal(stdout: TextStream, stderr: TextStream): boolean {
  if (stdout.isTTY !== true || stderr.isTTY !== true) return false;
  if (stdout.fd === undefined || stderr.fd === undefined) return true;
  try {
    return fstatSync(stdout.fd).rdev === fstatSync(stderr.fd).rdev;
  } catch {
    return true;
  }
}
