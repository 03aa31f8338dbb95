// Preloaded into hub processes by `bench/sim/main.ts --cpu-prof DIR` (NODE_OPTIONS=--import …): a
// V8 CPU profile of exactly the measured window. The first SIGWINCH (not one of the signals Nest's
// shutdown hooks stop the hub on, and ignored by default) starts the profiler, the second
// writes DIR/hub-<pid>.cpuprofile (Chrome DevTools / speedscope format). Node's own --cpu-prof
// cannot be used: the hub dies by its SIGTERM after its shutdown hooks, and that profile is never
// written.
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const dir = process.env.FW_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  let running = false;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 1000 }, () =>
          session.post('Profiler.start'),
        ),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const file = path.join(dir, `hub-${process.pid}.cpuprofile`);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.tmp`, file);
    });
  });
}
