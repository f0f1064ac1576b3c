"""Dataset releases: numbered, dated copies of the public archive to cite and re-run.

Other apps use ``releases.services`` only (the door): ``build_release``,
``remove_withdrawn``, ``reconcile_all``. Importing this package itself loads
nothing, since Django imports it before the models are ready.
"""
