#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Rewrites the hardware description JSON files in their house style: an object of scalars on one
line, every list item on its own line (so diffs show one field, parameter or register each)."""
import json, sys
def scalar(v): return not isinstance(v,(dict,list))
def fmt(v, ind=0):
    sp=' '*ind
    if isinstance(v,dict):
        if all(scalar(x) or (isinstance(x,list) and all(scalar(y) for y in x)) for x in v.values()):
            return json.dumps(v)
        items=[f'{sp}  {json.dumps(k)}: {fmt(x, ind+2)}' for k,x in v.items()]
        return '{\n'+',\n'.join(items)+'\n'+sp+'}'
    if isinstance(v,list):
        if all(scalar(x) for x in v): return json.dumps(v)
        return '[\n'+',\n'.join(sp+'  '+fmt(x,ind+2) for x in v)+'\n'+sp+']'
    return json.dumps(v)
for p in sys.argv[1:]:
    d=json.load(open(p)); open(p,'w').write(fmt(d)+'\n')
