#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the .xlsx workbooks the reader's tests read (tests/unit/test_xlsx.c, the dataset
tests and tests/cli/xlsx_checks.sh), with the Python 3 standard library alone: zipfile and
hand-written XML, so no spreadsheet library is needed and every byte is known.

    xlsx_fixtures.py OUTDIR          every fixture of the unit tests into OUTDIR
    xlsx_fixtures.py --form OUT.xlsx COUNTRY YEAR CSV
                                     a submission form holding the rows of a long CSV file
                                     (indicator,year,value[,flag,source,note]) of YEAR
"""
import csv
import os
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG = 'http://schemas.openxmlformats.org/package/2006/relationships'


def col_name(c):
    s = ''
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_xml(ref, v):
    """A cell: a number, a str (inline), or a dict with the raw parts:
    {'t': type, 's': style, 'v': value text, 'f': formula, 'is': inline text}."""
    if v is None:
        return ''
    if isinstance(v, bool):
        return '<c r="%s" t="b"><v>%d</v></c>' % (ref, v)
    if isinstance(v, (int, float)):
        return '<c r="%s"><v>%s</v></c>' % (ref, repr(v))
    if isinstance(v, str):
        return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v))
    a = ' r="%s"' % ref
    if 't' in v:
        a += ' t="%s"' % v['t']
    if 's' in v:
        a += ' s="%d"' % v['s']
    inner = ''
    if 'f' in v:
        inner += '<f>%s</f>' % escape(v['f'])
    if 'v' in v:
        inner += '<v>%s</v>' % escape(v['v'])
    if 'is' in v:
        inner += '<is><t>%s</t></is>' % escape(v['is'])
    return '<c%s>%s</c>' % (a, inner)


def sheet_xml(rows, hidden_rows=(), hidden_cols=(), merged=(), raw_rows=None):
    """rows: {row number: [values from column A]}."""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="%s">' % NS]
    if hidden_cols:
        out.append('<cols>' + ''.join('<col min="%d" max="%d" hidden="1" width="0"/>' % (c, c)
                                      for c in hidden_cols) + '</cols>')
    out.append('<sheetData>')
    if raw_rows is not None:
        out.append(raw_rows)
    for r in sorted(rows):
        h = ' hidden="1"' if r in hidden_rows else ''
        cells = ''.join(cell_xml('%s%d' % (col_name(i + 1), r), v) for i, v in enumerate(rows[r]))
        out.append('<row r="%d"%s>%s</row>' % (r, h, cells))
    out.append('</sheetData>')
    if merged:
        out.append('<mergeCells count="%d">%s</mergeCells>' %
                   (len(merged), ''.join('<mergeCell ref="%s"/>' % m for m in merged)))
    out.append('</worksheet>')
    return ''.join(out)


# cellXfs: 0 plain, 1 percent (9), 2 date (14), 3 custom '0.0%', 4 custom 'dd/mm/yyyy',
# 5 custom '0.00 "days"' (plain: the letters are quoted)
STYLES = ('<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="%s">'
          '<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%%"/>'
          '<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/>'
          '<numFmt numFmtId="166" formatCode="0.00 &quot;days&quot;"/></numFmts>'
          '<cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>'
          '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="14"/>'
          '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs>'
          '</styleSheet>' % NS)


def workbook(path, sheets, shared=None, styles=STYLES, extra=(), compression=zipfile.ZIP_DEFLATED):
    """sheets: [(name, state or None, sheet xml)]; extra: [(entry, bytes)]."""
    wbx = ['<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="%s" xmlns:r="%s"><sheets>'
           % (NS, RNS)]
    rels = ['<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="%s">' % PKG]
    for i, (name, state, _) in enumerate(sheets, 1):
        st = ' state="%s"' % state if state else ''
        wbx.append('<sheet name=%s sheetId="%d"%s r:id="rId%d"/>' % (quoteattr(name), i, st, i))
        rels.append('<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>'
                    % (i, RNS, i))
    wbx.append('</sheets></workbook>')
    rels.append('</Relationships>')
    with zipfile.ZipFile(path, 'w', compression) as z:
        z.writestr('[Content_Types].xml',
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="%s"/>' % PKG)
        z.writestr('xl/workbook.xml', ''.join(wbx))
        z.writestr('xl/_rels/workbook.xml.rels', ''.join(rels))
        for i, (_, _, xml) in enumerate(sheets, 1):
            z.writestr('xl/worksheets/sheet%d.xml' % i, xml)
        if shared is not None:
            z.writestr('xl/sharedStrings.xml', shared)
        if styles is not None:
            z.writestr('xl/styles.xml', styles)
        for name, data in extra:
            z.writestr(name, data)


HEADER = ['code', 'indicator', 'pillar', 'unit', 'value', 'flag', 'source/notes', 'allowed',
          'direction', 'previous value', 'previous flag']


def meta(country='VNM', year=2024, dataset='test', version=1):
    return sheet_xml({1: ['country', country], 2: ['year', year], 3: ['dataset', dataset],
                      4: ['form-version', version]})


def form(path, data_rows, country='VNM', year=2024, header=HEADER, data_kw=None, meta_sheet=True,
         extra_sheets=()):
    """data_rows: [(code, value, flag, source)] from row 2 (None rows are blank)."""
    rows = {1: list(header)}
    for i, r in enumerate(data_rows, 2):
        if r is None:
            continue
        code, value, flag, source = r
        rows[i] = [code, 'name of %s' % code, 'pillar', 'unit', value, flag, source]
    sheets = [('Instructions', None, sheet_xml({1: ['Fill in column E.']})),
              ('Data', None, sheet_xml(rows, **(data_kw or {})))]
    sheets += list(extra_sheets)
    if meta_sheet:
        sheets.append(('cymetrics', 'hidden', meta(country, year)))
    workbook(path, sheets)


def form_from_csv(out, country, year, csv_path):
    rows = []
    with open(csv_path, newline='') as f:
        for r in csv.DictReader(f):
            if int(r['year']) != int(year):
                continue
            v = r['value'].strip()
            rows.append((r['indicator'], float(v) if v else None, r.get('flag') or None,
                         r.get('source') or None))
    form(out, rows, country=country, year=int(year))


def fixtures(d):
    os.makedirs(d, exist_ok=True)
    p = lambda name: os.path.join(d, name)
    # the reader: every cell type, with shared strings (a rich one with a phonetic run)
    shared = ('<?xml version="1.0"?><sst xmlns="%s" count="3" uniqueCount="3">'
              '<si><t>plain</t></si><si><r><t>ri</t></r><r><t>ch</t></r><rPh><t>x</t></rPh></si>'
              '<si><t xml:space="preserve"> a &amp; b </t></si></sst>' % NS)
    cells = {1: [{'t': 's', 'v': '0'}, {'t': 's', 'v': '1'}, {'t': 's', 'v': '2'}, 'inline',
                 45.5, True, {'t': 'e', 'v': '#N/A'}],
             2: [{'v': '0.45', 's': 1}, {'v': '45000', 's': 2}, {'v': '0.5', 's': 3},
                 {'v': '45000', 's': 4}, {'v': '3', 's': 5}, {'t': 'd', 'v': '2024-01-31'}],
             3: [{'f': 'A1+1', 'v': '2'}, {'f': 'NOW()'}, {'t': 'str', 'f': 'B1', 'v': 'rich'},
                 {'s': 0}, {'t': 'e', 'f': '1/0', 'v': '#DIV/0!'}]}
    workbook(p('cells.xlsx'),
             [('One', None, sheet_xml(cells, hidden_rows=(3,), hidden_cols=(2,),
                                      merged=('C5:D6',))),
              ('Two', 'hidden', sheet_xml({})), ('Three', 'veryHidden', sheet_xml({}))],
             shared=shared)
    # cells without r attributes (allowed by ECMA-376; some writers omit them)
    workbook(p('noref.xlsx'), [('S', None, sheet_xml({}, raw_rows=(
        '<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c><v>3</v></c></row>')))])
    # not workbooks
    with open(p('text.xlsx'), 'w') as f:
        f.write('indicator,year,value\nA,2024,1\n')
    with open(p('old.xlsx'), 'wb') as f:
        f.write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
    with open(p('empty.xlsx'), 'wb') as f:
        pass
    form(p('VNM.xlsx'), [('A', 1.0, None, None)])
    with open(p('VNM.xlsx'), 'rb') as f:
        whole = f.read()
    with open(p('truncated.xlsx'), 'wb') as f:
        f.write(whole[:len(whole) // 2])
    # a zip without the workbook parts
    with zipfile.ZipFile(p('plainzip.xlsx'), 'w') as z:
        z.writestr('hello.txt', 'hello')
    # an entry flagged as encrypted (general purpose bit 0)
    # (zipfile clears the flags it writes: set the bit in the local and central headers)
    form(p('encrypted.xlsx'), [('A', 1.0, None, None)])
    with open(p('encrypted.xlsx'), 'rb') as f:
        b = bytearray(f.read())
    for sig, at in ((b'PK\x03\x04', 6), (b'PK\x01\x02', 8)):
        i = b.find(sig)
        while i >= 0:
            b[i + at] |= 1
            i = b.find(sig, i + 4)
    with open(p('encrypted.xlsx'), 'wb') as f:
        f.write(b)
    # bounds: a zip bomb (70 MiB of one sheet's spaces, about 70 KiB compressed)
    bomb = '<worksheet xmlns="%s"><sheetData>' % NS + ' ' * (70 << 20) + '</sheetData></worksheet>'
    workbook(p('bomb.xlsx'), [('S', None, bomb)])
    del bomb
    # a sheet of 5 MiB of ordinary cells: over the ratio? no: cells compress about 10 to 1
    # huge shared-string table: 1,048,577 strings (over the count bound)
    # (distinct strings, so the part is not also over the compression ratio)
    sst = ('<sst xmlns="%s">' % NS) + ''.join('<si><t>%x</t></si>' % (i * 2654435761 % 2**32)
                                               for i in range((1 << 20) + 1)) + '</sst>'
    workbook(p('manystrings.xlsx'), [('S', None, sheet_xml({}))], shared=sst)
    del sst
    # one string over the length bound (131,072 bytes)
    workbook(p('longstring.xlsx'), [('S', None, sheet_xml({1: ['y' * 131073]}))])
    # deep nesting: 100 levels inside a cell
    deep = ('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1">' % NS + '<x>' * 100 +
            '</x>' * 100 + '</c></row></sheetData></worksheet>')
    workbook(p('deep.xlsx'), [('S', None, deep)])
    # a DOCTYPE with an entity (billion laughs starts like this)
    dtd = ('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><worksheet xmlns="%s">'
           '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>'
           '</sheetData></worksheet>' % NS)
    workbook(p('doctype.xlsx'), [('S', None, dtd)])
    # cells outside the grid
    workbook(p('bigrow.xlsx'), [('S', None, sheet_xml({}, raw_rows=(
        '<row r="1"><c r="A1048577"><v>1</v></c></row>')))])
    workbook(p('bigcol.xlsx'), [('S', None, sheet_xml({}, raw_rows=(
        '<row r="1"><c r="XFE1"><v>1</v></c></row>')))])
    # too many zip entries (10,001)
    with zipfile.ZipFile(p('entries.xlsx'), 'w') as z:
        for i in range(10001):
            z.writestr('e%d' % i, '')
    # malformed XML
    workbook(p('malformed.xlsx'), [('S', None, '<worksheet><sheetData><row></sheetData>')])


if __name__ == '__main__':
    if len(sys.argv) == 6 and sys.argv[1] == '--form':
        form_from_csv(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    elif len(sys.argv) == 2:
        fixtures(sys.argv[1])
    else:
        sys.exit(__doc__)
