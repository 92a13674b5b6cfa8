// Preloaded by bench/parallel.bench.mjs into `specrun run` (`node --require`; Node preloads it in worker threads too):
// the CPU time of each thread, from /proc/thread-self/stat (Linux). A worker thread writes its latest reading to
// $SPECRUN_BENCH_TCPU/w-PID-THREADID every 50 ms; the main thread prints one line at exit:
//   bench-thread-cpu main USER+SYS; workers USER+SYS, ... (milliseconds)
// Without /proc (not Linux) it prints nothing.
const fs = require('node:fs');
const { isMainThread, threadId } = require('node:worker_threads');
const dir = process.env.SPECRUN_BENCH_TCPU;
function read() {
  const st = fs.readFileSync('/proc/thread-self/stat', 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return `${Number(f[11]) * 10}+${Number(f[12]) * 10}`; // clock ticks of 10 ms
}
if (dir && fs.existsSync('/proc/thread-self/stat')) {
  if (!isMainThread) {
    const t = setInterval(() => {
      try {
        fs.writeFileSync(`${dir}/w-${process.pid}-${threadId}`, read());
      } catch {
        // the folder is gone: the run is over
      }
    }, 50);
    t.unref();
  } else
    process.on('exit', () => {
      const workers = fs
        .readdirSync(dir)
        .filter((f) => f.startsWith(`w-${process.pid}-`))
        .map((f) => fs.readFileSync(`${dir}/${f}`, 'utf8'));
      process.stderr.write(`bench-thread-cpu main ${read()}; workers ${workers.join(', ')}\n`);
    });
}
