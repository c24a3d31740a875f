"""Password hashing: Django's Argon2 hasher (argon2id) with parameters chosen for this portal.

Django's defaults (time_cost 2, memory 100 MiB, parallelism 8) took ~2 s per login on the 2-core
machines the portal is sized for when they were busy, and PBKDF2 with Django 5.2's 1,000,000
iterations ~0.3 s idle, up to 1.4 s busy: a login queue under load. These parameters are OWASP's
first recommended argon2id profile (19 MiB, 2 passes, 1 lane): memory-hard, so a GPU cracker pays
per guess in memory as well as time, at a fraction of the CPU a login costs with PBKDF2. Measured
figures and the way to re-measure them: docs/scaling.md ("Password hashing").

Hashes made with other parameters or another hasher (PBKDF2 from before) are re-hashed with these
at the next successful login (Django's ``must_update``/setter mechanism).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    # The algorithm name stays "argon2": the parameters are stored in every hash, so any
    # Argon2 hasher verifies them and a change of parameters upgrades hashes at login.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
