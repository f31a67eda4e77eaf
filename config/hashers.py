"""The password hasher: Argon2id, which Django's documentation recommends, tuned for a web worker.

Django's own Argon2 settings (100 MiB, 2 passes, 8 lanes) cost about 0.2 s of CPU per login on
this project's 2-core reference machine, so a morning login rush of coordinators would hold
every gunicorn worker. These are OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): about
20 ms of CPU. A stored hash with other parameters (or an older PBKDF2 one) is rehashed with
these at the user's next login."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
