"""The codes the engine answers with: a refusal, a field error or a definition problem is a code
and its parameters.

The engine never words them; the web side (`accompagnement.messages`) maps every code to a
catalogue message. A test checks that the engine emits only these codes and that each one has
a translated message.
"""

REFUSAL_CODES = frozenset(
    {
        "unknown_trigger",  # trigger
        "not_from_this_stage",  # trigger, stage
        "role_not_allowed",  # role, roles
        "reason_required",
        "no_return_stage",  # stage
        "form_not_submitted",  # stage, drafted
        "checklist_incomplete",  # stage, items
        "too_few_items",  # stage, field, count, have, drafted
        "field_mismatch",  # stage, field, value
    }
)
"""Why a transition cannot be fired. `drafted` means part of what is missing sits in a draft."""

FIELD_ERROR_CODES = frozenset(
    {
        "required",
        "too_long",  # max
        "not_an_integer",
        "not_a_number",
        "too_large",
        "below_min",  # min
        "above_max",  # max
        "not_a_date",
        "invalid_choice",  # value
        "invalid_commune",
        "invalid_member",
        "too_few_items",  # min
        "too_many_items",  # max
    }
)
"""Why one value of a form was refused."""

PROBLEM_CODES = frozenset(
    {
        # reading files and YAML text
        "unreadable_file",  # reason (the system's)
        "unreadable_directory",  # reason
        "not_utf8",
        "invalid_yaml",  # reason (PyYAML's)
        "duplicate_yaml_key",  # key, first (line)
        "empty_definition",
        "not_a_definition",  # found (a type name)
        "duplicate_version",  # name, version, origin
        "second_default",  # name, origin
        "name_taken",  # name, origin (a network's file named as a shared or another's one)
        # structure (pydantic's errors)
        "missing_french_label",
        "missing_key",  # key
        "unknown_key",  # key, allowed
        "unknown_value",  # what (type, kind, reason, roles or value), value, allowed
        "expected_text",  # value
        "expected_integer",  # value
        "expected_boolean",  # value
        "expected_list",  # value
        "expected_mapping",  # value
        "pattern_mismatch",  # value, hint (name, key, trigger or other)
        "empty",
        "too_few_entries",  # min
        "not_greater_than",  # bound, value
        "below_minimum",  # bound, value
        "above_maximum",  # bound, value
        "expected_number",
        "invalid_source",
        "invalid_guard",
        "invalid_value",  # detail (pydantic's message)
        # stages and fields
        "duplicate_stage_key",  # key, first (path)
        "duplicate_checklist_item_key",  # key, first
        "duplicate_task_key",  # key, first
        "duplicate_field_key",  # key, first
        "duplicate_choice_key",  # key, first
        "attribute_not_applicable",  # attribute, type, types
        "runtime_choices",  # type
        "choices_not_applicable",  # type
        "choices_required",  # type
        "fields_not_applicable",  # type
        "nested_group",
        "group_fields_required",
        "max_below_min",  # min, max
        "integer_bound_not_whole",
        "max_items_below_min_items",  # min, max
        # flow and guards
        "unknown_stage",  # stage, known
        "initial_not_a_step",  # kind
        "all_stages_in_list",
        "return_not_from_hold",  # stage, kind
        "duplicate_trigger",  # trigger, stage, first (path)
        "unreachable_stage",  # stage, initial
        "dead_end_stage",  # stage
        "hold_without_exit",  # stage
        "unknown_guard",  # guard, known
        "stage_without_form",  # stage
        "stage_without_checklist",  # stage
        "count_below_one",
        "not_a_field",  # field, stage, wanted (group or single_value), candidates
        "unsuitable_field",  # field, type, stage, wanted, candidates
        "invalid_guard_value",  # value, field, choices
    }
)
"""What is wrong in a workflow definition (at a file, a path and a line)."""

LABEL_CHANGE_CODES = frozenset(
    {
        "workflow_label_changed",  # old, new
        "workflow_description_changed",  # old, new
        "stage_label_changed",  # stage, old, new
        "stage_description_changed",  # stage, old, new
        "field_label_changed",  # stage, [group], field, old, new
        "field_help_changed",  # stage, [group], field, old, new
        "field_unit_changed",  # stage, [group], field, old, new
        "choice_label_changed",  # stage, [group], field, old, new
        "item_label_changed",  # stage, old, new
        "task_title_changed",  # stage, old, new
        "transition_label_changed",  # transition, old, new
    }
)
"""Differences between two versions that only reword: they may be published in place."""

STRUCTURAL_CHANGE_CODES = frozenset(
    {
        "default_changed",  # default
        "initial_changed",  # old, new
        "stage_added",  # stage, after (None: first)
        "stage_removed",  # stage
        "stage_moved",  # stage, after
        "stage_kind_changed",  # stage, old, new
        "stage_usual_days_changed",  # stage, old, new
        "form_added",  # stage
        "form_removed",  # stage
        "field_added",  # stage, [group], field, after
        "field_removed",  # stage, [group], field
        "field_moved",  # stage, [group], field, after
        "field_type_changed",  # stage, [group], field, old, new
        "field_required",  # stage, [group], field
        "field_optional",  # stage, [group], field
        "field_bound_changed",  # stage, [group], field, bound, old, new
        "choice_added",  # stage, [group], field, choice
        "choice_removed",  # stage, [group], field, choice
        "choices_reordered",  # stage, [group], field
        "item_added",  # stage, item, after
        "item_removed",  # stage, item
        "item_moved",  # stage, item, after
        "item_required",  # stage, item
        "item_optional",  # stage, item
        "task_added",  # stage, task, after
        "task_removed",  # stage, task
        "task_changed",  # stage, task, attribute (assignee or due_days), old, new
        "transition_added",  # transition, sources, dest
        "transition_removed",  # transition, sources, dest
        "transition_dest_changed",  # transition, old, new
        "transition_roles_changed",  # transition, old, new (lists of roles)
        "transition_reason_changed",  # transition, old, new (reason policies)
        "guard_added",  # transition, guard, stage (None: the transition's own), field, count, value
        "guard_removed",  # the same
    }
)
"""Differences running projects could notice: they need a new version."""
