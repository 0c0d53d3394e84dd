"""Input tables as text: CSV whose ``#`` lines carry notes and sources, parsed into :class:`Rows`.

Reading the files is :mod:`tea.config`'s job (:mod:`tea.config.inputs`); this module only turns
text into rows, and the parsers of the process, costing and money modules turn rows into typed
records.  Every problem raises :class:`tea.errors.InputError` naming the table's file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from tea.errors import InputError


@dataclass(frozen=True)
class Rows:
    """The rows of one input table, as dicts of stripped strings.

    Attributes
    ----------
    file : str
        The table's file, as error messages name it.
    header : tuple of str
        Column names, stripped.
    rows : tuple of dict
        Column -> stripped text, one dict per row (comment and blank lines skipped).
    """

    file: str
    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]

    def require(self, columns: tuple[str, ...] = (),
                require_rows: bool = False) -> list[dict[str, str]]:
        """The rows, after checking that the header has ``columns`` (and that there are rows).

        Raises
        ------
        InputError
            Naming the file and the missing columns, or saying that it has no rows.
        """
        missing = [c for c in columns if c not in self.header]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)} (header: "
                             f"{', '.join(self.header)})", file=self.file)
        if require_rows and not self.rows:
            raise InputError("no rows", file=self.file)
        return [dict(row) for row in self.rows]


def parse_rows(text: str, file: str) -> Rows:
    """Parse the text of a CSV table: ``#`` comment lines and blank lines skipped, a header row,
    then the rows; a row with more fields than the header is refused (a stray comma), naming the
    file and line.

    Parameters
    ----------
    text : str
        The table's text.
    file : str
        The file's name for error messages.
    """
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise InputError("no header row", file=file)
    reader = csv.reader(line for _, line in numbered)
    header = tuple(h.strip() for h in next(reader))
    rows = []
    for fields in reader:
        if len(fields) > len(header):
            line = numbered[min(reader.line_num, len(numbered)) - 1][0]
            raise InputError(f"line {line}: {len(fields)} fields but the header has "
                             f"{len(header)} (a stray comma? quote values that contain commas)",
                             file=file)
        padded = [*fields, *[""] * (len(header) - len(fields))]
        rows.append({h: v.strip() for h, v in zip(header, padded, strict=True)})
    return Rows(file, header, tuple(rows))
