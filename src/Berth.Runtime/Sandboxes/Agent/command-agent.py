# The command agent of a Berth sandbox. The server starts it once per sandbox, through the engine,
# and then runs the session's commands through it: starting a process in the sandbox is then a
# fork and exec instead of an engine round trip.
#
# It speaks frames on its stdin and stdout: a 9-byte header (kind, command id, payload length,
# big-endian) and the payload. From the server:
#   R  run: JSON {"argv": [...], "cwd": "...", "env": {...}, "stdin": bool}
#   I  bytes for the command's stdin            C  end of the command's stdin
#   K  kill the command's process group         A  the server took 4-byte count more output bytes
# To the server:
#   H  ready (once, command id 0)
#   O  stdout bytes    E  stderr bytes    X  exit code, 4 bytes, signed, after all of its output
#
# Every command leads a process group of its own, which a kill ends as a whole. When the server's
# connection ends, every command still running is killed. The agent then exits, unless it is the
# container's main process (PID 1): then it stays, as the init that reaps orphaned processes.
import json
import os
import selectors
import signal
import struct
import subprocess
import sys
import time

HEADER = struct.Struct(">cII")
COUNT = struct.Struct(">i")
READ_SIZE = 64 * 1024
# Output bytes a command may have in flight before the server acknowledges them; past this its
# pipes are not read, so a slow reader slows the command down instead of filling memory.
WINDOW = 1024 * 1024
# After a command exits, output still comes while something it started holds its pipes; once none
# has come for this long, the command is reported finished.
LINGER = 2.0

# Commands start the way a shell starts them, as engine execs do too: a missing directory or
# program, or a script without a #! line, then fare the same either way. Each first raises its own
# OOM score, which anything may do, so that when the sandbox runs out of memory the kernel ends
# commands rather than the agent, however small they are.
START = ('{ echo 500 >/proc/self/oom_score_adj; } 2>/dev/null; cd -- "$1" || exit 1; shift; '
         'command -v -- "$1" >/dev/null || { printf "%s: command not found\\n" "$1" >&2; exit 127; }; exec "$@"')
BASE_ENVIRONMENT = dict(os.environ)
# Every process of a command carries this variable, with a value of its own command's: a kill
# then also finds those that left the command's process group (setsid, daemons).
MARK = "BERTH_COMMAND_ID"
RUN = os.urandom(6).hex()
selector = selectors.DefaultSelector()
commands = {}
by_pid = {}


def send(kind, command_id, payload=b""):
    data = HEADER.pack(kind, command_id, len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(1, view)
        view = view[written:]


def exit_code_of(returncode):
    return 128 - returncode if returncode < 0 else returncode


class Command:
    def __init__(self, command_id, process, has_stdin):
        self.id = command_id
        self.process = process
        self.open_pipes = {process.stdout.fileno(): b"O", process.stderr.fileno(): b"E"}
        self.pipe_files = {process.stdout.fileno(): process.stdout, process.stderr.fileno(): process.stderr}
        self.in_flight = 0
        self.paused = False
        self.exited = None
        self.deadline = None
        self.pending_input = bytearray()
        self.input_closing = False
        self.stdin = process.stdin if has_stdin else None
        for fd in self.open_pipes:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ, (self, "output"))
        by_pid[process.pid] = self
        if self.stdin is not None:
            os.set_blocking(self.stdin.fileno(), False)

    def read_output(self, fd):
        try:
            data = os.read(fd, READ_SIZE)
        except BlockingIOError:
            return
        if not data:
            self.close_pipe(fd)
            return
        send(self.open_pipes[fd], self.id, data)
        self.in_flight += len(data)
        if self.exited is not None:
            self.deadline = time.monotonic() + LINGER
        if self.in_flight > WINDOW and not self.paused:
            self.paused = True
            for pipe in self.open_pipes:
                selector.unregister(pipe)
            self.deadline = None

    def acknowledge(self, count):
        self.in_flight -= count
        if self.paused and self.in_flight <= WINDOW:
            self.paused = False
            for pipe in self.open_pipes:
                selector.register(pipe, selectors.EVENT_READ, (self, "output"))
            if self.exited is not None:
                self.deadline = time.monotonic() + LINGER

    def close_pipe(self, fd):
        if not self.paused:
            selector.unregister(fd)
        del self.open_pipes[fd]
        self.pipe_files.pop(fd).close()
        self.finish_if_done()

    def on_exit(self, status):
        # Reaped here rather than by Popen, which is told, so that it never waits for it again.
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.exited = exit_code_of(self.process.returncode)
        self.drop_input()
        if not self.paused:
            self.deadline = time.monotonic() + LINGER
        self.finish_if_done()

    def finish_if_done(self, lingered=False):
        if self.exited is None or (self.open_pipes and not lingered):
            return
        for fd in list(self.open_pipes):
            if not self.paused:
                selector.unregister(fd)
            self.pipe_files.pop(fd).close()
        self.open_pipes.clear()
        send(b"X", self.id, COUNT.pack(self.exited))
        del commands[self.id]

    def add_input(self, data):
        if self.stdin is None:
            return
        was_empty = not self.pending_input
        self.pending_input += data
        if was_empty:
            selector.register(self.stdin.fileno(), selectors.EVENT_WRITE, (self, "input"))

    def close_input(self):
        if self.stdin is None:
            return
        self.input_closing = True
        if not self.pending_input:
            self.drop_input()

    def write_input(self):
        try:
            written = os.write(self.stdin.fileno(), self.pending_input[:READ_SIZE])
        except BlockingIOError:
            return
        except OSError:
            self.drop_input()
            return
        del self.pending_input[:written]
        if not self.pending_input:
            selector.unregister(self.stdin.fileno())
            if self.input_closing:
                self.drop_input()

    def drop_input(self):
        if self.stdin is None:
            return
        if self.pending_input:
            selector.unregister(self.stdin.fileno())
            self.pending_input.clear()
        self.stdin.close()
        self.stdin = None

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        kill_marked(mark_of(self.id))


def mark_of(command_id):
    return f"{RUN}-{command_id}"


def kill_marked(value):
    # Passes until one finds nothing, as a process may fork while the last pass reads /proc.
    entry = f"{MARK}={value}".encode()
    for _ in range(5):
        found = False
        for name in os.listdir("/proc"):
            if not name.isdigit() or name == "1":
                continue
            try:
                with open(f"/proc/{name}/environ", "rb") as environ:
                    marked = entry in environ.read().split(b"\0")
                if marked:
                    os.kill(int(name), signal.SIGKILL)
                    found = True
            except OSError:
                pass
        if not found:
            return


def refuse(command_id, message, exit_code):
    send(b"E", command_id, message.encode("utf-8", "surrogateescape"))
    send(b"X", command_id, COUNT.pack(exit_code))


def run(command_id, payload):
    spec = json.loads(payload)
    argv = spec["argv"]
    environment = dict(BASE_ENVIRONMENT)
    environment.update(spec.get("env") or {})
    environment[MARK] = mark_of(command_id)
    try:
        process = subprocess.Popen(
            ["/bin/sh", "-c", START, "sh", spec["cwd"], *argv], cwd="/", env=environment,
            start_new_session=True, stdin=subprocess.PIPE if spec.get("stdin") else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except (OSError, ValueError) as e:
        refuse(command_id, f"{argv[0]}: {e}\n", 126)
        return
    commands[command_id] = Command(command_id, process, bool(spec.get("stdin")))


def reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        command = by_pid.pop(pid, None)
        if command is not None and command.id in commands:
            command.on_exit(status)


def on_frame(kind, command_id, payload):
    if kind == b"R":
        run(command_id, payload)
        return
    command = commands.get(command_id)
    if command is None:
        return
    if kind == b"I":
        command.add_input(payload)
    elif kind == b"C":
        command.close_input()
    elif kind == b"K":
        command.kill()
    elif kind == b"A":
        command.acknowledge(COUNT.unpack(payload)[0])


def hide_descriptors():
    # A process whose credentials change stops being dumpable, and other processes of its user may
    # then not open its /proc/<pid>/fd entries: no command can read or forge the agent's frames.
    # Moving the effective group away and back is such a change; without CAP_SETGID both steps fail.
    group = os.getegid()
    try:
        os.setegid(65534 if group != 65534 else 65533)
    except OSError:
        return
    os.setegid(group)


def main():
    hide_descriptors()
    # SIGCHLD wakes the loop through this pipe; children are then reaped, the commands' and any
    # orphan's alike.
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector.register(wake_read, selectors.EVENT_READ, (None, "signal"))
    os.set_blocking(0, False)
    selector.register(0, selectors.EVENT_READ, (None, "server"))
    received = bytearray()
    send(b"H", 0)
    while True:
        now = time.monotonic()
        deadlines = [c.deadline for c in commands.values() if c.deadline is not None]
        timeout = max(0.0, min(deadlines) - now) if deadlines else None
        for key, _ in selector.select(timeout):
            command, role = key.data
            if role == "signal":
                try:
                    while os.read(wake_read, 4096):
                        pass
                except BlockingIOError:
                    pass
                reap()
            elif role == "server":
                try:
                    data = os.read(0, READ_SIZE)
                except BlockingIOError:
                    continue
                if not data:
                    selector.unregister(0)
                    stop_commands()
                    if os.getpid() != 1:
                        return
                    continue
                received += data
                while len(received) >= HEADER.size:
                    kind, command_id, length = HEADER.unpack_from(received)
                    if len(received) < HEADER.size + length:
                        break
                    payload = bytes(received[HEADER.size:HEADER.size + length])
                    del received[:HEADER.size + length]
                    on_frame(kind, command_id, payload)
            elif command.id not in commands:
                continue
            elif role == "output":
                if key.fd in command.open_pipes and not command.paused:
                    command.read_output(key.fd)
            elif role == "input":
                command.write_input()
        now = time.monotonic()
        for command in list(commands.values()):
            if command.deadline is not None and command.deadline <= now and command.exited is not None:
                command.finish_if_done(lingered=True)


def stop_commands():
    for running in list(commands.values()):
        running.kill()


def stop(*_):
    stop_commands()
    sys.exit(0)


signal.signal(signal.SIGPIPE, signal.SIG_IGN)
if os.getpid() == 1:
    # As the sandbox's init it has no handler that a process inside could signal: the kernel then
    # drops every signal sent to it from inside, and the engine stops the sandbox with SIGKILL.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
else:
    signal.signal(signal.SIGTERM, stop)
try:
    main()
finally:
    stop_commands()
sys.exit(0)
