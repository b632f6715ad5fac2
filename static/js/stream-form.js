/* The stream declaration form, enhanced when JavaScript and htmx are there.
 *
 * Without them the form works as served: a <select> of materials grouped by family, a text input for the
 * waste code ("15 01 03"), every field visible, the server checking everything.
 *
 * With them:
 * - [data-combobox] boxes replace their fallback widget: typing asks the server for ranked results (htmx,
 *   an HTML fragment of role="option" items); arrow keys move in the list, Enter picks, Escape closes; the
 *   value travels in a hidden input, the text box shows the label;
 * - picking a material reloads the units able to measure it and lists the waste codes usually mapped to it;
 *   picking a waste code suggests its usual material;
 * - fields that only concern offers, needs or seasonal streams are hidden (and not sent) when they do not
 *   apply; a field the server flagged stays visible;
 * - a coordinator's choice of member reloads the list of that member's sites. */
(function () {
  "use strict";
  var form = document.querySelector("[data-stream-form]");
  if (!form || typeof htmx === "undefined") { return; }

  function load(url, params, target) {
    return htmx.ajax("GET", url + "?" + new URLSearchParams(params).toString(), { target: target, swap: "innerHTML" });
  }

  function ready(callback) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", callback); } else { callback(); }
  }

  function fieldValue(name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    var element = form.querySelector('select[name="' + name + '"], input[type="hidden"][name="' + name + '"]');
    return element ? element.value : "";
  }

  /* --- Comboboxes ---------------------------------------------------------------------------------- */

  function combobox(root, onPick) {
    var field = root.closest("[data-combobox-field]");
    var fallback = field.querySelector("[data-combobox-fallback]");
    var input = root.querySelector("[role=combobox]");
    var hidden = root.querySelector("[data-combobox-value]");
    var listbox = root.querySelector("[role=listbox]");
    var status = root.querySelector("[data-combobox-status]");
    var freeText = root.dataset.combobox === "ewc";  // a typed code is accepted as is; a material must be picked
    var active = -1;

    hidden.value = fallback.value;
    fallback.remove();
    hidden.disabled = false;
    root.hidden = false;
    field.querySelector("label").htmlFor = input.id;

    function options() { return Array.prototype.slice.call(listbox.querySelectorAll("[role=option][data-value]")); }

    function open() {
      if (!listbox.children.length) { return close(); }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, position) { item.setAttribute("aria-selected", position === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function set(value, label) {
      hidden.value = value;
      input.value = label;
      close();
      onPick(value);
    }

    input.addEventListener("input", function () {
      hidden.value = freeText ? input.value : "";
      if (!input.value.trim()) { close(); listbox.innerHTML = ""; }
    });
    input.addEventListener("keydown", function (event) {
      var items = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (listbox.hidden) { open(); }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        if (!listbox.hidden) {
          event.preventDefault();  // Enter picks in the list; it does not send the form half-filled
          var chosen = items[active >= 0 ? active : 0];
          if (chosen) { set(chosen.dataset.value, chosen.dataset.label); }
        }
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    listbox.addEventListener("mousedown", function (event) {
      var item = event.target.closest("[role=option][data-value]");
      if (!item) { return; }
      event.preventDefault();  // keep the focus in the text box
      set(item.dataset.value, item.dataset.label);
    });
    listbox.addEventListener("htmx:afterSwap", function () {
      var count = options().length;
      active = -1;
      if (document.activeElement === input) { open(); } else { close(); }
      status.textContent = count ? count + " " + (count > 1 ? status.dataset.plural : status.dataset.singular) : "";
    });

    return { set: set, value: function () { return hidden.value; } };
  }

  var unitSelect = form.querySelector('select[name="unit"]');
  var materialBox, ewcBox;

  function materialPicked(code) {
    if (!code) { return; }
    load(form.dataset.unitOptionsUrl, { material: code, unit: unitSelect.value }, unitSelect);
    load(form.dataset.suggestEwcUrl, { material: code }, "#material-ewc-suggestions");
  }

  function ewcPicked(code) {
    if (!code) { return; }
    load(form.dataset.suggestMaterialUrl, { ewc_code: code, material: materialBox.value() }, "#ewc-material-suggestion");
  }

  materialBox = combobox(form.querySelector('[data-combobox="material"]'), materialPicked);
  ewcBox = combobox(form.querySelector('[data-combobox="ewc"]'), ewcPicked);

  form.addEventListener("click", function (event) {
    var ewc = event.target.closest("[data-pick-ewc]");
    var material = event.target.closest("[data-pick-material]");
    if (ewc) {
      ewcBox.set(ewc.dataset.pickEwc, ewc.dataset.label);
      document.getElementById("material-ewc-suggestions").innerHTML = "";
    } else if (material) {
      materialBox.set(material.dataset.pickMaterial, material.dataset.label);
      document.getElementById("ewc-material-suggestion").innerHTML = "";
    }
  });

  ready(function () {
    if (materialBox.value() && !ewcBox.value()) { materialPicked(materialBox.value()); }
  });

  /* --- Fields that depend on the direction and the regularity ------------------------------------- */

  var offerKinds = (form.dataset.offerKinds || "").split(" ");
  var kindSelect = form.querySelector('select[name="kind"]');

  function refresh() {
    form.querySelectorAll("[data-show-when]").forEach(function (element) {
      var rule = element.dataset.showWhen.split("=");
      var current = fieldValue(rule[0]);
      var hide = Boolean(current) && current !== rule[1] && !element.classList.contains("field-invalid");
      element.hidden = hide;
      element.querySelectorAll("input, select, textarea").forEach(function (control) { control.disabled = hide; });
    });
    var direction = fieldValue("direction");
    if (kindSelect && direction) {
      Array.prototype.forEach.call(kindSelect.options, function (option) {
        if (!option.value) { return; }
        var isOffer = offerKinds.indexOf(option.value) !== -1;
        option.disabled = (direction === "offer") !== isOffer;
      });
      if (kindSelect.selectedOptions.length && kindSelect.selectedOptions[0].disabled) { kindSelect.value = ""; }
    }
  }
  form.addEventListener("change", refresh);
  refresh();

  /* --- Coordinators: the member narrows the sites ---------------------------------------------------- */

  var memberSelect = form.querySelector('select[name="member"]');
  var siteSelect = form.querySelector('select[name="site"]');
  if (memberSelect && siteSelect) {
    memberSelect.addEventListener("change", function () {
      load(form.dataset.siteOptionsUrl, { member: memberSelect.value, site: siteSelect.value }, siteSelect);
    });
    ready(function () {
      if (memberSelect.value) {
        load(form.dataset.siteOptionsUrl, { member: memberSelect.value, site: siteSelect.value }, siteSelect);
      }
    });
  }
})();
