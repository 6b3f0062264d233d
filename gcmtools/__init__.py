"""GCM Review Workbook helpers: catalogue, intake, sources, briefs, build."""

__version__ = "0.1.0"

# The hash of gcmtools' files keys every cache (intake results, key figures, charts) and the
# build's fingerprints. Taken now, when the package is imported, it names the code this
# process runs: a file edited later does not make this process store old results under the
# new code's key (a kernel that is not restarted, a build's zygote).
from gcmtools import store  # noqa: E402

store.code_hash()
