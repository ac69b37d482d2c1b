# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The flavors role's input rules (flavors_input.check), one bad value per case.

Each case names the variable (or list entry) and a fragment of the bad value as the message
must show it; the message must also say what is accepted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import flavors_input, scs_input

GOOD = {
    "flavors_cloud": "admin", "flavors_api_timeout": None, "flavors_mandatory": True,
    "flavors_recommended_part1": False, "flavors_recommended_part2": False, "flavors_custom": [],
    "flavors_extra_specs": {}, "flavors_hw_rng": False, "flavors_public": True,
    "flavors_descriptions": True, "flavors_prune": False, "flavors_purge_extra_specs": False,
    "flavors_concurrency": 4,
}
MAX_INT = 2147483647


def problems_of(**changes):
    return list(flavors_input.check(dict(GOOD, **changes)))


def entry(**fields):
    """One custom flavor entry, a valid provider flavor unless fields say otherwise."""
    return dict({"name": "SCS-8V-32-100s"}, **fields)


def test_defaults_and_a_full_good_list_pass():
    assert problems_of() == []
    assert problems_of(flavors_custom=[
        "SCS-8V-32-100s",
        {"name": "SCS-16V-64-500s", "gpu": {"model": "A30", "fraction": "1/4"},
         "extra_specs": {"pci_passthrough:alias": "a30-quarter:1"}},
        {"name": "tiny.private", "id": "tiny-private-1", "vcpus": 1, "ram": 512, "disk": 1,
         "is_public": False, "extra_specs": {"quota:cpu_shares": 512}},
        {"name": "big.one", "vcpus": MAX_INT, "ram": MAX_INT, "disk": MAX_INT},
        {"attributes": {"cpus": 4, "cpu_type": "V", "ram": 8, "gpu_model": "Arc Pro B50"}},
    ], flavors_recommended_part1=True, flavors_extra_specs={"hw:cpu_policy": "shared"}) == []


def test_extra_vars_arrive_as_strings_and_are_read_as_argument_specs_reads_them():
    """ansible-playbook -e flavors_prune=true -e flavors_concurrency=8 gives strings."""
    assert problems_of(flavors_prune="true", flavors_mandatory="no", flavors_concurrency="8",
                       flavors_api_timeout="30", flavors_recommended_part1="yes", flavors_public=1) == []
    assert problems_of(flavors_mandatory="no", flavors_custom=["SCS-2X-4"])[0].startswith("flavors_custom[0]")


def test_registered_for_validate_input():
    from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_sync
    assert scs_input.CHECKS["flavors"] is flavors_input.check
    assert flavors_input.MAX_CONCURRENCY == scs_flavor_sync.MAX_CONCURRENCY


CASES = [
    # -- role variables: shapes and ranges
    ("flavors_concurrency", {"flavors_concurrency": 0}, "0 (an integer)", "expected an integer >= 1 and <= 32"),
    ("flavors_concurrency", {"flavors_concurrency": 33}, "33 (an integer)", "<= 32"),
    ("flavors_concurrency", {"flavors_concurrency": -1}, "-1 (an integer)", ">= 1"),
    ("flavors_concurrency", {"flavors_concurrency": "0"}, "0 (an integer)", ">= 1"),  # -e flavors_concurrency=0
    ("flavors_concurrency", {"flavors_concurrency": "four"}, "'four'", "expected an integer"),
    ("flavors_concurrency", {"flavors_concurrency": 4.5}, "4.5 (a float)", "expected an integer"),
    ("flavors_concurrency", {"flavors_concurrency": True}, "True (a boolean)", "expected an integer"),
    ("flavors_api_timeout", {"flavors_api_timeout": 0}, "0 (an integer)", ">= 1"),
    ("flavors_api_timeout", {"flavors_api_timeout": 10 ** 9}, "1000000000 (an integer)", "<= 86400"),
    ("flavors_api_timeout", {"flavors_api_timeout": "30s"}, "'30s'", "expected an integer"),
    ("flavors_cloud", {"flavors_cloud": "admin\n"}, "'admin\\n'", "without control characters"),
    ("flavors_cloud", {"flavors_cloud": ""}, "''", "non-empty string"),
    ("flavors_cloud", {"flavors_cloud": ["admin"]}, "['admin'] (a list)", "a clouds.yaml entry name"),
    ("flavors_cloud", {"flavors_cloud": "x" * 256}, "'xxxx", "at most 255 characters"),
    ("flavors_mandatory", {"flavors_mandatory": "maybe"}, "'maybe'", "expected true or false"),
    ("flavors_recommended_part1", {"flavors_recommended_part1": 2}, "2 (an integer)", "expected true or false"),
    ("flavors_recommended_part2", {"flavors_recommended_part2": None}, "None (a null)", "expected true or false"),
    ("flavors_hw_rng", {"flavors_hw_rng": "disabled"}, "'disabled'", "expected true or false"),
    ("flavors_public", {"flavors_public": []}, "[] (a list)", "expected true or false"),
    ("flavors_descriptions", {"flavors_descriptions": ""}, "''", "expected true or false"),
    ("flavors_prune", {"flavors_prune": 1.0}, "1.0 (a float)", "expected true or false"),
    ("flavors_purge_extra_specs", {"flavors_purge_extra_specs": {"a": 1}}, "{'a': 1} (a mapping)",
     "expected true or false"),
    ("flavors_custom", {"flavors_custom": "SCS-2V-4"}, "'SCS-2V-4'", "expected a list"),
    ("flavors_custom", {"flavors_custom": {"name": "SCS-2V-4"}}, "{'name': 'SCS-2V-4'} (a mapping)", "expected a list"),
    ("flavors_extra_specs", {"flavors_extra_specs": ["a"]}, "['a'] (a list)", "expected a mapping"),
    ("flavors_extra_specs", {"flavors_extra_specs": "hw:cpu_policy=shared"}, "'hw:cpu_policy=shared'",
     "expected a mapping"),
    # -- common extra_specs
    ("flavors_extra_specs", {"flavors_extra_specs": {"scs:cpu-type": "shared-core"}}, "scs:cpu-type",
     "derived from each flavor name"),
    ("flavors_extra_specs", {"flavors_extra_specs": {"bad/key": "1"}}, "'bad/key'", "letters, digits"),
    ("flavors_extra_specs", {"flavors_extra_specs": {"k" * 256: "1"}}, "'kkkk", "at most 255 characters"),
    ("flavors_extra_specs", {"flavors_extra_specs": {"": "1"}}, "''", "non-empty string"),
    ("flavors_extra_specs", {"flavors_extra_specs": {"hw:x": "v" * 256}}, "'vvvv", "at most 255 characters"),
    ("flavors_extra_specs", {"flavors_extra_specs": {"hw:x": "a\nb"}}, "'a\\nb'", "no control characters"),
    ("flavors_extra_specs", {"flavors_extra_specs": {"hw:x": None}}, "None", "string, number or boolean"),
    ("flavors_extra_specs", {"flavors_extra_specs": {"hw:x": {"a": 1}}}, "{'a': 1}", "string, number or boolean"),
    # -- entries: shapes
    ("flavors_custom[0]", {"flavors_custom": [42]}, "42", "a flavor name or a dict"),
    ("flavors_custom[0]", {"flavors_custom": [["SCS-2V-4"]]}, "['SCS-2V-4']", "a flavor name or a dict"),
    ("flavors_custom[0]", {"flavors_custom": [None]}, "None", "a flavor name or a dict"),
    ("flavors_custom[0]", {"flavors_custom": [entry(colour="blue")]}, "colour", "accepted: name"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": ""}]}, "''", "non-empty string"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": 7}]}, "7", "non-empty string"),
    ("flavors_custom[0]", {"flavors_custom": [{"vcpus": 2}]}, "None", "non-empty string"),
    # -- entries: names (Nova: 1-255 printable characters, no surrounding spaces)
    ("flavors_custom[0]", {"flavors_custom": ["m1.small\n"]}, "'m1.small\\n'", "no control characters"),
    ("flavors_custom[0]", {"flavors_custom": ["m1\tsmall"]}, "'m1\\tsmall'", "no control characters"),
    ("flavors_custom[0]", {"flavors_custom": ["m1\x00small"]}, "'m1\\x00small'", "no control characters"),
    ("flavors_custom[0]", {"flavors_custom": ["m1\x7fsmall"]}, "'m1\\x7fsmall'", "no control characters"),
    ("flavors_custom[0]", {"flavors_custom": ["SCS-2V-4\u0085"]}, "'SCS-2V-4\\x85'", "no control characters"),
    ("flavors_custom[0]", {"flavors_custom": [" m1.small"]}, "' m1.small'", "no surrounding spaces"),
    ("flavors_custom[0]", {"flavors_custom": ["m1.small "]}, "'m1.small '", "no surrounding spaces"),
    ("flavors_custom[0]", {"flavors_custom": ["n" * 256]}, "'nnnn", "at most 255 characters"),
    # -- entries: figures within Nova's ranges
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": 0, "ram": 512}]}, "vcpus: 0", "below 1"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": -4, "ram": 512}]}, "vcpus: -4", "below 1"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": MAX_INT + 1, "ram": 512}]},
     "vcpus: 2147483648", "Nova accepts 1 to 2147483647"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": 1, "ram": 0}]}, "ram: 0", "below 1"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": 1, "ram": 10 ** 12}]},
     "ram: 1000000000000", "Nova accepts 1 to 2147483647"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": 1, "ram": 512, "disk": -1}]},
     "disk: -1", "below 0"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": 1, "ram": 512, "disk": MAX_INT + 1}]},
     "disk: 2147483648", "Nova accepts 0 to 2147483647"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": "two", "ram": 512}]}, "'two'",
     "not a whole number"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": 1.5, "ram": 512}]}, "1.5",
     "not a whole number"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": True, "ram": 512}]}, "True",
     "not a whole number"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "ram": 512}]}, "m1", "vcpus must be given"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "SCS-8V-32-100s", "vcpus": 4}]}, "vcpus 4",
     "less than the name promises (8)"),
    # -- entries: id, is_public, description, extra_specs
    ("flavors_custom[0]", {"flavors_custom": [entry(id="bad/id")]}, "'bad/id'", "letters, digits"),
    ("flavors_custom[0]", {"flavors_custom": [entry(id="id\n")]}, "'id\\n'", "letters, digits"),
    ("flavors_custom[0]", {"flavors_custom": [entry(id=" lead")]}, "' lead'", "inner spaces"),
    ("flavors_custom[0]", {"flavors_custom": [entry(id="i" * 256)]}, "'iiii", "at most 255 characters"),
    ("flavors_custom[0]", {"flavors_custom": [entry(is_public="maybe")]}, "'maybe'", "not a boolean"),
    ("flavors_custom[0]", {"flavors_custom": [entry(description=["x"])]}, "description",
     "must be a string"),
    ("flavors_custom[0]", {"flavors_custom": [entry(description="two\nlines")]}, "'two\\nlines'",
     "no control characters"),
    ("flavors_custom[0]", {"flavors_custom": [entry(description="d" * 65536)]}, "'dddd",
     "at most 65535 characters"),
    ("flavors_custom[0]", {"flavors_custom": [entry(extra_specs="a=b")]}, "'a=b'", "a dict of key: value"),
    ("flavors_custom[0]", {"flavors_custom": [entry(extra_specs={"key\n": "v"})]}, "'key\\n'", "letters, digits"),
    ("flavors_custom[0]", {"flavors_custom": [entry(extra_specs={"hw:x": "v\x1b"})]}, "'v\\x1b'",
     "no control characters"),
    ("flavors_custom[0]", {"flavors_custom": [entry(extra_specs={"scs:cpu-type": "dedicated-core"})]},
     "'dedicated-core'", "contradicts the name ('shared-core')"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1", "vcpus": 1, "ram": 512,
                                               "extra_specs": {"scs:cpu-type": "shared-core"}}]},
     "scs:cpu-type", "belong to SCS-named flavors only"),
    # -- entries: SCS names, GPU models, attributes
    ("flavors_custom[0]", {"flavors_custom": ["SCS-2X-4"]}, "SCS-2X-4", "allowed: L, V, T, C"),
    ("flavors_custom[0]", {"flavors_custom": ["SCS-02V-4"]}, "SCS-02V-4", "use SCS-2V-4"),
    ("flavors_custom[1]", {"flavors_custom": ["SCS-8V-32-100s", "SCS-8V-32-100s"]}, "SCS-8V-32-100s",
     "duplicate of flavors[0]"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "SCS-16V-64-500s", "gpu": {"model": "A31"}}]}, "'A31'",
     "known: "),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "SCS-16V-64-500s", "gpu": {"model": "A30",
                                                                                  "fraction": "0"}}]},
     "'0'", "must be > 0 and <= 1"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "SCS-16V-64-500s", "gpu": "A30"}]}, "gpu",
     "a dict with at least model"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "SCS-16V-64-500s", "gpu": {"model": "A30", "size": 1}}]},
     "size", "accepted: model, fraction, virtual"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "m1.big", "gpu": {"model": "A30"}}]}, "'m1.big'",
     "must be a valid SCS name"),
    ("flavors_custom[0]", {"flavors_custom": [{"attributes": {"cpus": 0, "cpu_type": "V", "ram": 4}}]},
     "cpus 0", "allowed: >= 1"),
    ("flavors_custom[0]", {"flavors_custom": [{"attributes": {"cpus": 2, "cpu_type": "V", "ram": 4,
                                                              "colour": "red"}}]}, "colour", "allowed: cpus"),
    ("flavors_custom[0]", {"flavors_custom": [{"attributes": "2V-4"}]}, "attributes", "must be a dict"),
    ("flavors_custom[0]", {"flavors_custom": [{"name": "SCS-4V-8-20", "ram": 4096}],
                           "flavors_recommended_part1": True}, "ram 4096", "contradicts the standard flavor"),
    ("flavors_custom[1] (m2)", {"flavors_custom": [{"name": "m1", "id": "x1", "vcpus": 1, "ram": 512},
                                                   {"name": "m2", "id": "x1", "vcpus": 1, "ram": 512}]},
     "'x1'", "is also given for m1"),
]


@pytest.mark.parametrize("variable, changes, shown, accepted", CASES,
                         ids=["%02d-%s" % (i, c[0]) for i, c in enumerate(CASES)])
def test_bad_value_is_refused_naming_it(variable, changes, shown, accepted):
    problems = problems_of(**changes)
    assert len(problems) == 1, problems
    message = problems[0]
    assert variable in message, message
    assert shown in message, message
    assert accepted in message, message


def test_every_problem_of_a_list_is_reported_at_once():
    problems = problems_of(flavors_custom=["SCS-2X-4", {"name": "m1", "vcpus": 0, "ram": 512}, "x\n"],
                           flavors_extra_specs={"scs:name-v1": "x"})
    assert [p.split(":")[0] for p in problems] == [
        "flavors_extra_specs", "flavors_custom[0] (SCS-2X-4)", "flavors_custom[1] (m1)", "flavors_custom[2] (x\n)"]


def test_shape_problems_stop_before_the_list_rules():
    problems = problems_of(flavors_concurrency=0, flavors_custom=["SCS-2X-4"])
    assert len(problems) == 1 and problems[0].startswith("flavors_concurrency: 0")


def test_the_module_refuses_what_the_preflight_refuses():
    """flavor_sync run directly (no role) applies the same list rules before any API call."""
    from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_sync as sync

    def no_cloud(params):
        raise AssertionError("connected although the input is bad")

    params = dict(flavors=[{"name": "m1", "vcpus": MAX_INT + 1, "ram": 512}, "m2\n"], standard_sets=[],
                  extra_specs={}, hw_rng=False, is_public=True, descriptions=True, on_figure_drift="fail",
                  prune=False, purge_extra_specs=False, concurrency=4)
    result = sync.run(params, connect=no_cloud)
    assert result["failed"] and len(result["problems"]) == 2
    assert "2147483648" in result["problems"][0] and "'m2\\n'" in result["problems"][1]
