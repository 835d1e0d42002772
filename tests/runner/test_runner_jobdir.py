"""The job dir: a copy of the submission's regular files only, removed afterwards."""

import os
import stat

from grader.runner import jobdir
from grader.runner.jobdir import JobDir


def test_only_regular_files_and_folders_are_copied(tmp_path):
    sub = tmp_path / "sub"
    (sub / "pkg").mkdir(parents=True)
    (sub / "layers.py").write_text("x = 1\n")
    (sub / "pkg" / "util.py").write_text("y = 2\n")
    (sub / "__pycache__").mkdir()
    (sub / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"\0")
    secret = tmp_path / "solutions.py"
    secret.write_text("SECRET\n")
    os.symlink(secret, sub / "link.py")
    os.symlink(tmp_path, sub / "linkdir")
    job = JobDir(sub)
    try:
        copied = sorted(os.path.relpath(os.path.join(d, f), job.work)
                        for d, _, files in os.walk(job.work) for f in files)
        assert copied == ["layers.py", os.path.join("pkg", "util.py")]
    finally:
        job.remove()
    assert not os.path.exists(job.root)


def test_a_lone_module_file_becomes_a_one_module_package(tmp_path):
    module = tmp_path / "layers.py"
    module.write_text("x = 1\n")
    job = JobDir(module)
    try:
        assert os.listdir(job.work) == ["layers.py"]
    finally:
        job.remove()


def test_copying_stops_at_the_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(jobdir, "MAX_COPY_BYTES", 1000)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.py").write_text("a" * 600)
    (sub / "b.py").write_text("b" * 600)
    job = JobDir(sub)
    try:
        assert job.copied_bytes == 600 and len(os.listdir(job.work)) == 1
    finally:
        job.remove()


def test_removal_succeeds_even_after_the_student_locked_its_folders(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "layers.py").write_text("")
    job = JobDir(sub)
    locked = os.path.join(job.work, "locked")
    os.mkdir(locked)
    open(os.path.join(locked, "f"), "w").close()
    os.chmod(locked, 0o500)
    job.remove()
    assert not os.path.exists(job.root)


def _modes(root):
    """{relative path: (mode, nlink, content)} of everything under root, links not followed."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            body = open(path, "rb").read() if os.path.isfile(path) and not os.path.islink(path) else b""
            seen[os.path.relpath(path, root)] = (info.st_mode, info.st_nlink, body)
    info = os.lstat(root)
    seen["."] = (info.st_mode, info.st_nlink, b"")
    return seen


def _decoy(tmp_path):
    decoy = tmp_path / "decoy"
    (decoy / "inner").mkdir(parents=True)
    (decoy / "secret.txt").write_text("instructor\n")
    (decoy / "inner" / "checks.py").write_text("SEED = 1\n")
    os.chmod(decoy / "inner", 0o555)
    os.chmod(decoy / "secret.txt", 0o444)
    os.chmod(decoy, 0o751)
    return decoy


def _leave_hostile_tree(work, decoy):
    """What a student could leave in its job dir: links out, locked folders, special files."""
    import socket

    os.symlink(decoy, os.path.join(work, "to_decoy"))
    os.symlink(decoy / "secret.txt", os.path.join(work, "to_secret"))
    locked = os.path.join(work, "locked", "deeper")
    os.makedirs(locked)
    os.symlink(decoy, os.path.join(locked, "to_decoy"))
    os.symlink(decoy / "inner", os.path.join(locked, "to_inner"))
    os.link(decoy / "secret.txt", os.path.join(work, "hard_secret"))
    os.mkfifo(os.path.join(work, "fifo"))
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.path.join(work, "sock"))
    sock.close()
    if os.geteuid() == 0:
        os.mknod(os.path.join(work, "null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.symlink("/dev/null", os.path.join(work, "devlink"))
    os.chmod(locked, 0)
    os.chmod(os.path.join(work, "locked"), 0)
    os.mkdir(os.path.join(work, "noexec"), 0o600)


def test_removal_follows_no_link_and_touches_nothing_outside(tmp_path):
    decoy = _decoy(tmp_path)
    before = _modes(decoy)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "layers.py").write_text("")
    job = JobDir(sub, base=str(tmp_path))
    _leave_hostile_tree(job.work, decoy)
    job.remove()
    assert not os.path.exists(job.root)
    assert _modes(decoy) == before


def test_a_root_that_became_a_link_is_unlinked_not_followed(tmp_path):
    decoy = _decoy(tmp_path)
    before = _modes(decoy)
    link = tmp_path / "job-link"
    os.symlink(decoy, link)
    jobdir.remove_tree(str(link))
    assert not os.path.lexists(link) and _modes(decoy) == before


def test_output_files_are_fresh_per_child_and_links_in_their_place_are_not_followed(tmp_path):
    decoy = _decoy(tmp_path)
    before = _modes(decoy)
    sub = tmp_path / "sub"
    sub.mkdir()
    job = JobDir(sub, base=str(tmp_path))
    try:
        out, err = job.open_outputs()
        os.write(out, b"x" * 1000)
        os.write(err, b"first child\n")
        os.close(out), os.close(err)
        os.unlink(job.stderr_path)
        os.symlink(decoy / "secret.txt", job.stderr_path)  # a child without Landlock could do this
        assert job.stderr_tail() == ""  # the link is not read
        os.unlink(job.stdout_path)
        os.mkfifo(job.stdout_path)
        out, err = job.open_outputs()
        os.write(err, b"second\n")
        os.close(out), os.close(err)
        assert os.path.getsize(job.stdout_path) == 0 and job.stderr_tail() == "second"
        assert job.output_used == 0  # neither the link nor the FIFO counts as output
        out, err = job.open_outputs()
        os.close(out), os.close(err)
        assert job.output_used == len(b"second\n")
    finally:
        job.remove()
    assert _modes(decoy) == before


def test_the_output_budget_is_shared_by_a_submissions_children(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    job = JobDir(sub, base=str(tmp_path), output_budget=4 << 20)
    try:
        assert job.output_allowance(64 << 20) == 2 << 20
        for _ in range(3):
            out, err = job.open_outputs()
            os.write(out, b"o" * (1 << 20))
            os.close(out), os.close(err)
        out, err = job.open_outputs()
        os.write(err, b"e" * (1 << 20))
        os.close(out), os.close(err)
        out, err = job.open_outputs()
        os.close(out), os.close(err)
        assert job.output_used == 4 << 20
        assert job.output_allowance(64 << 20) == jobdir.MIN_OUTPUT_ALLOWANCE
        out, err = job.open_outputs()
        os.close(out), os.close(err)
        assert job.output_allowance(64 << 20) == jobdir.MIN_OUTPUT_ALLOWANCE
        assert job.output_allowance(1000) == jobdir.MIN_OUTPUT_ALLOWANCE
    finally:
        job.remove()


def test_an_out_folder_swapped_for_a_link_redirects_nothing(tmp_path):
    decoy = _decoy(tmp_path)
    (decoy / "stdout").write_text("instructor's file named stdout\n")
    os.chmod(decoy, 0o751)
    before = _modes(decoy)
    sub = tmp_path / "sub"
    sub.mkdir()
    job = JobDir(sub, base=str(tmp_path))
    try:
        out, err = job.open_outputs()
        os.write(err, b"mine\n")
        os.close(out), os.close(err)
        os.rename(job.out, job.out + "-moved")
        os.symlink(decoy, job.out)  # a child without Landlock may do this
        assert job.stderr_tail() == "mine"  # read through the folder's fd, not the path
        out, err = job.open_outputs()
        os.close(out), os.close(err)
        assert _modes(decoy) == before
    finally:
        job.remove()
    assert _modes(decoy) == before and not os.path.lexists(job.root)


def test_removal_of_a_tree_nested_deeper_than_the_stack_is_complete(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    job = JobDir(sub, base=str(tmp_path))
    fd = os.open(job.work, os.O_PATH | os.O_DIRECTORY)
    for level in range(3000):  # a child may chdir down as far as it likes
        os.mkdir("d", 0o700 if level % 7 else 0o300, dir_fd=fd)
        if level % 100 == 0:
            os.symlink(str(tmp_path), "up", dir_fd=fd)
        deeper = os.open("d", os.O_PATH | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = deeper
    os.close(fd)
    mode = os.lstat(tmp_path).st_mode
    job.remove()
    assert not os.path.lexists(job.root) and os.lstat(tmp_path).st_mode == mode
