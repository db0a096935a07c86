"""``{eval}`glue.text("name:.3f")` `` in the HTML book: paste the glued value, like ``{glue:text}`name:.3f```.

Chapters quote computed numbers with ``{eval}`` roles whose expression reads a value glued with
``nnlib.glue.glue`` (see that module): a running notebook evaluates the expression in the kernel
(jupyterlab-myst); this build, whose execution is cached and has no kernel while it reads the pages,
recognises the two forms ``glue.text("name[:format]")`` and ``glue.md("name")`` and hands them to
myst-nb's own ``glue:text`` / ``glue:md`` roles, so the page shows exactly what those roles show.
Any other ``{eval}`` expression goes to myst-nb's eval role unchanged.
"""
import re

GLUED = re.compile(r"""^glue\.(?P<form>text|md)\((?P<quote>["'])(?P<key>[^"']+)(?P=quote)\)$""")


def setup(app):
    app.setup_extension("myst_nb")
    from myst_nb.ext.eval import EvalRoleAny
    from myst_nb.ext.glue.roles import PasteMarkdownRole, PasteTextRole

    class GluedValueRole(EvalRoleAny):
        def __call__(self, name, rawtext, text, lineno, inliner, options=None, content=()):
            match = GLUED.match(text.strip())
            if match is None:
                return super().__call__(name, rawtext, text, lineno, inliner, options, content)
            paste = PasteTextRole() if match["form"] == "text" else PasteMarkdownRole()
            return paste(name, rawtext, match["key"], lineno, inliner, options, content)

    app.add_role("eval", GluedValueRole(), override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
