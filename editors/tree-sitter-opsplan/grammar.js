/**
 * @file tree-sitter grammar for opsplan: flight plans, procedures, training scenarios and
 * staffing rosters. It follows grammar/opsplan.pest (the reference) and docs/language.md;
 * where it accepts more loosely than pest, a `LOOSER:` comment says so and why.
 * @license Apache-2.0
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

/** `item ("," item)*` */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

/** An optional title string after a declared name. */
function title($) {
  return optional(field('title', $.string));
}

/** A `{ … }` block of items in any order (pest: `"{" ~ item* ~ "}"`). */
function block(rule) {
  return seq('{', repeat(rule), '}');
}

// Lexical pieces shared by several tokens (pest rules of the same names).
const CLOCK = /[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?/.source;
const DOY_TIME = new RegExp(`[0-9]{4}\\/[0-9]{1,3}[ \\t]+${CLOCK}`);
const ISO_TIME = new RegExp(
  `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt]${CLOCK}([Zz]|[+-][0-9]{2}:[0-9]{2})?`,
);
const DATE = /[0-9]{4}(\/[0-9]{1,3}|-[0-9]{1,2}-[0-9]{1,2})/;

module.exports = grammar({
  name: 'opsplan',

  // Keywords are contextual: a keyword is read as a keyword only where the grammar
  // allows one, and never runs on into a name (`atx` is a name).
  word: $ => $.identifier,

  extras: $ => [/[ \t\r\n\uFEFF]/, $.line_comment, $.block_comment],

  // A unit after a number, on the same line, that is not `within`, `on` or `timeout`:
  // src/scanner.c (a regular expression cannot refuse those three words without
  // cutting a longer unit such as `onboard` short).
  externals: $ => [$.unit, $._error_sentinel],

  supertypes: $ => [$._time, $._statement_body],

  rules: {
    source_file: $ => repeat(choice($.plan, $.procedure, $.scenario, $.roster)),

    // ------------------------------------------------------------ lexical

    line_comment: _ => token(seq('//', /[^\r\n]*/)),
    // Block comments do not nest: the first `*/` ends the comment.
    block_comment: _ => token(seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/')),

    // Letters, digits, `_` and inner `-` followed by a letter, digit or `_`.
    identifier: _ => /[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*/,

    string: _ => token(seq('"', repeat(choice(/[^"\\\r\n]/, /\\["\\nt]/)), '"')),

    integer: _ => /[0-9]+/,
    number: _ => /[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/,
    // Not a value of the language: read so that opsplan can report it (E002).
    hex_number: _ => /0[xX][0-9a-fA-F]+/,
    // `3.2`, `v3.2`, `2`: preferred over a name (`v3`) where both may come, as in pest.
    version: _ => token(prec(2, /v?[0-9]+(\.[0-9]+)*/)),

    // `18.0 bar`; the unit is an external token (see `externals`).
    quantity: $ => seq($.number, optional($.unit)),

    // ------------------------------------------------------------ time

    doy_time: _ => token(DOY_TIME),
    iso_time: _ => token(ISO_TIME),
    clock: _ => token(new RegExp(CLOCK)),
    // A day, for the bounds of qualifications.
    date: _ => token(DATE),

    _abs_time: $ => choice($.doy_time, $.iso_time),
    _time: $ => choice($.doy_time, $.iso_time, $.relative_time),

    // `40m`, `1h30m`, `PT40M`, `P1DT2H`. An ISO duration is preferred over a name.
    // LOOSER: pest requires a duration, a day (`date`) and a hex number to end at a word
    // boundary; a tree-sitter token has no look-ahead, so `lasting 40mfrom …` reads as
    // `40m` then `from` here (anything else glued on is an ERROR, as in pest).
    duration: _ => token(prec(1, choice(
      /([0-9]+[dhms])+/,
      /P([0-9]+[WD])?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?/,
    ))),

    // `A11.end + 10m`: no blank around the dot.
    // LOOSER: a comment may stand between the anchor, the sign and the offset (extras);
    // pest allows only blanks there.
    relative_time: $ => seq(
      field('activity', $.identifier),
      token.immediate('.'),
      field('anchor', alias(token.immediate(/start|end/), $.anchor)),
      optional(field('offset', $.offset)),
    ),
    offset: $ => seq(field('sign', choice('+', '-')), $.duration),
    within: $ => seq('within', $.duration),

    interval: $ => seq(field('start', $._abs_time), '..', field('end', $._abs_time)),

    // ------------------------------------------------------------ plans

    plan: $ => seq('plan', field('name', $.identifier), title($), field('body', $.plan_body)),
    plan_body: $ => block(choice(
      $.mission, $.issue, $.horizon, $.use, $.roles, $.resource, $.window, $.phase,
      $.activity, $.waive,
    )),

    mission: $ => seq('mission', $.string),
    issue: $ => seq('issue', choice($.string, $.version, $.identifier)),
    horizon: $ => seq('horizon', $.interval),
    use: $ => seq('use', field('kind', $.use_kind), field('path', $.string)),
    use_kind: _ => choice('procedures', 'windows', 'rules', 'roster'),
    waive: $ => seq(
      'waive', field('rule', $.identifier), 'for', field('activities', $.name_list),
      'ref', field('ref', $.string),
    ),
    roles: $ => seq('roles', $.name_list, optional(seq('in', field('group', $.identifier)))),
    name_list: $ => commaSep1($.identifier),
    resource: $ => seq(
      'resource', field('name', $.identifier),
      choice(alias('exclusive', $.exclusive), seq('capacity', field('capacity', $.integer))),
      optional(field('note', $.string)),
    ),
    window: $ => seq(
      'window', field('name', $.identifier), title($),
      optional(seq('kind', field('kind', $.window_kind))),
      choice($.periodic, $.daily, $.intervals),
    ),
    window_kind: _ => choice('relay', 'ground', 'sleep', 'other'),
    periodic: $ => seq(
      'every', field('period', $.duration), 'lasting', field('length', $.duration),
      'from', field('from', $._abs_time), optional(seq('until', field('until', $._abs_time))),
    ),
    daily: $ => seq('daily', field('start', $.clock), '..', field('end', $.clock)),
    intervals: $ => commaSep1($.interval),
    phase: $ => seq(
      'phase', field('name', $.identifier), title($), optional($.interval),
      field('body', $.phase_body),
    ),
    phase_body: $ => block($.activity),

    activity: $ => seq('activity', field('name', $.identifier), title($), field('body', $.activity_body)),
    activity_body: $ => block(choice(
      $.at, $.lasts, $.by, $.kind, $.tags, $.after, $.before, $.during, $.starts_with,
      $.procedure_ref, $.uses, $.needs, $.until, $.critical, $.covers, $.note,
    )),
    at: $ => seq('at', $._time),
    lasts: $ => seq('lasts', $.duration),
    until: $ => seq('until', $._time),
    by: $ => seq('by', $.name_list),
    kind: $ => seq('kind', $.identifier),
    critical: _ => 'critical',
    tags: $ => seq('tags', $.name_list),
    procedure_ref: $ => seq('procedure', field('procedure', $.identifier), optional($.version)),
    needs: $ => seq('needs', $._windows),
    _windows: $ => seq(
      $.identifier,
      optional(choice(repeat1(seq('&', $.identifier)), repeat1(seq('|', $.identifier)))),
    ),
    uses: $ => seq('uses', commaSep1($.resource_use)),
    resource_use: $ => seq(field('resource', $.identifier), optional(field('amount', $.integer))),
    covers: $ => seq('covers', commaSep1($.cited)),
    // A requirement id, bare or quoted, and the fingerprint of the text it was traced
    // against: no blank inside.
    cited: $ => seq(
      choice($.requirement_id, $.quoted_requirement_id),
      optional(seq(token.immediate('@'), field('fingerprint', alias(token.immediate(/[0-9a-fA-F]+/), $.fingerprint)))),
    ),
    requirement_id: _ => /[A-Za-z0-9_]+([-./][A-Za-z0-9_]+)*/,
    // Not empty, on one line, no control character; `\"` and `\\` escapes.
    quoted_requirement_id: _ => token(seq(
      '"', repeat1(choice(/[^"\\\x00-\x1f\x7f-\x9f]/, /\\["\\]/)), '"',
    )),
    note: $ => seq('note', $.string),

    after: $ => seq('after', field('activity', $.identifier), optional($.offset), optional($.within)),
    before: $ => seq('before', field('activity', $.identifier), optional($.offset), optional($.within)),
    during: $ => seq('during', field('activity', $.identifier)),
    starts_with: $ => seq('starts', 'with', field('activity', $.identifier), optional($.offset)),

    // ------------------------------------------------------------ procedures

    procedure: $ => seq('procedure', field('name', $.identifier), title($), field('body', $.procedure_body)),
    procedure_body: $ => block(choice(
      $.version_decl, $.family, alias($.procedure_roles, $.roles), $.covers, $.requires, $.contingency, $.handles,
      $.expected_duration, $.step,
    )),
    version_decl: $ => seq('version', $.version),
    family: $ => seq('family', $.identifier),
    // A procedure's roles: no role group (`in`), unlike a plan's.
    procedure_roles: $ => seq('roles', $.name_list),
    requires: $ => seq('requires', choice(seq('coverage', $._windows), $.string)),
    contingency: $ => seq('contingency', field('procedure', $.identifier), optional($.version)),
    handles: $ => seq('handles', $.name_list),
    expected_duration: $ => seq('duration', $.duration),

    step: $ => seq('step', field('label', $._step_label), title($), field('body', $.step_body)),
    step_body: $ => block(choice($.covers, $.statement)),
    _step_label: $ => choice(alias(/[0-9]+(\.[0-9]+)*/, $.step_number), $.identifier),

    statement: $ => seq($._statement_body, optional($.on_fail)),
    _statement_body: $ => choice(
      $.command, $.check, $.poll, $.wait, $.call, $.manual, $.goto, $.abort, $.end, $.note,
    ),
    command: $ => seq(
      'command', field('name', $.identifier),
      optional(seq('(', optional(commaSep1($.argument)), ')')),
    ),
    argument: $ => seq(field('name', $.identifier), '=', field('value', $._value)),
    _value: $ => choice($.string, $.hex_number, $.quantity, $.identifier),
    check: $ => seq(
      'check', field('parameter', $.identifier),
      choice($.range, $.comparison), optional($.within),
    ),
    range: $ => seq(
      'in', field('low', choice($.hex_number, $.number)), '..',
      field('high', choice($.hex_number, $.quantity)),
    ),
    comparison: $ => seq(field('operator', $.operator), field('value', $._value)),
    operator: _ => choice('==', '!=', '<=', '>=', '<', '>'),
    poll: $ => seq('poll', $.name_list),
    wait: $ => seq('wait', choice($.wait_for, $.duration)),
    wait_for: $ => seq(
      'for', field('name', $.identifier), optional(field('event', $.string)),
      optional(seq('timeout', field('timeout', $.duration))),
    ),
    call: $ => seq('call', field('procedure', $.identifier), optional($.version)),
    manual: $ => seq('manual', field('role', $.identifier), field('task', $.string)),
    goto: $ => seq('goto', field('label', $._step_label)),
    abort: $ => seq('abort', optional(field('reason', $.string))),
    end: _ => 'end',
    on_fail: $ => seq('on', 'fail', choice($.goto, $.abort, $.call)),

    // ------------------------------------------------------------ training scenarios

    scenario: $ => seq('scenario', field('name', $.identifier), title($), field('body', $.scenario_body)),
    scenario_body: $ => block(choice(
      $.scenario_plan, $.trainees, $.inject, $.instructor, $.held, $.outcome,
    )),
    scenario_plan: $ => seq('plan', field('plan', $.identifier)),
    // Roles, or (issue #18) people.
    trainees: $ => seq('trainees', $.name_list),
    inject: $ => seq(
      'inject', field('event', $.identifier), title($), 'at', $._time,
      optional(field('body', $.inject_body)),
    ),
    inject_body: $ => block($.expect),
    expect: $ => seq('expect', field('procedure', $.identifier), optional($.version)),
    // Issue #18 (written from the issue, then checked against the pest rules merged on
    // main: instructor_decl, held_decl, outcome_decl): who ran the simulation, when it
    // was held and how it ended.
    instructor: $ => seq('instructor', field('person', $.identifier)),
    held: $ => seq('held', $.interval),
    outcome: $ => seq('outcome', field('value', $.outcome_value)),
    outcome_value: _ => choice('passed', 'failed', 'cancelled'),

    // ------------------------------------------------------------ staffing rosters

    roster: $ => seq('roster', field('name', $.identifier), title($), field('body', $.roster_body)),
    roster_body: $ => block(choice(
      $.shift, $.oncall, $.assign, $.person, $.position, $.duty, $.scenario_plan, $.rules,
    )),
    rules: $ => seq('rules', field('body', $.rules_body)),
    rules_body: $ => block(choice($.rest_rule, $.max_rule, $.night_rule, $.handover)),
    rest_rule: $ => seq(choice('daily', 'weekly'), 'rest', $.duration),
    max_rule: $ => seq('max', choice(
      seq('shift', $.duration), seq('week', $.duration), seq('nights', $.integer),
    )),
    night_rule: $ => seq('night', field('start', $.clock), '..', field('end', $.clock)),
    handover: $ => seq('handover', $.duration),

    position: $ => seq('position', field('name', $.identifier), title($), field('body', $.position_body)),
    position_body: $ => block(choice($.fills, $.continuous, $.minimum, $.trainees_alone, $.handover)),
    fills: $ => seq('fills', $.name_list),
    continuous: $ => seq('continuous', optional(seq('during', commaSep1(choice($.interval, $.identifier))))),
    minimum: $ => seq('minimum', $.integer),
    trainees_alone: _ => seq('trainees', 'alone'),

    person: $ => seq('person', field('name', $.identifier), title($), optional(field('body', $.person_body))),
    person_body: $ => block(choice($.qualified, $.trainee)),
    // Issue #18 (as above): `after N scenarios` (or `scenario`), the completed scenarios
    // the qualification needs, after the optional `from` and `until`.
    qualified: $ => seq(
      'qualified', $.name_list, optional($.valid_from), optional($.valid_until),
      optional($.after_scenarios),
    ),
    after_scenarios: $ => seq('after', field('count', $.integer), choice('scenarios', 'scenario')),
    trainee: $ => seq(
      'trainee', $.name_list, 'under', field('instructor', $.identifier),
      optional($.valid_from), optional($.valid_until),
    ),
    valid_from: $ => seq('from', choice($._abs_time, $.date)),
    valid_until: $ => seq('until', choice($._abs_time, $.date)),

    duty: $ => seq('duty', field('name', $.identifier), title($), field('body', $.duty_body)),
    duty_body: $ => block(choice($.continuous, $.response)),
    response: $ => seq('response', $.duration),

    shift: $ => seq('shift', field('person', $.identifier), field('position', $.identifier), $.interval),
    oncall: $ => seq(
      'oncall', field('person', $.identifier), field('duty', $.identifier), $.interval,
      optional($.response),
    ),
    assign: $ => seq('assign', field('person', $.identifier), 'to', field('activities', $.name_list)),
  },
});
