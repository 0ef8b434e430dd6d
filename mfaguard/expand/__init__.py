"""The expander: a root module expanded as Terraform would at plan time, written as a
``terraform show -json``-shaped plan document so the plan runner's exact verdicts apply to HCL.

    config.py     which files form a module folder; hcl2's parse trees into blocks
    values.py     Unknown (after apply / not given) and Terraform's conversions
    expr.py       expression evaluation over hcl2's parse trees (precedence restored)
    functions.py  the built-in functions IAM/Cognito code uses
    scope.py      resources, data sources, module calls as expressions see them
    expander.py   variables, tfvars, locals, count/for_each, dynamic blocks, module calls
    plan.py       the synthetic plan document and the address -> HCL file:line map
"""
