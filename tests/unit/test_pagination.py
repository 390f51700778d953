"""Pagination: the page a URL asks for, and the numbers a pagination bar shows."""

from lms.pagination import clamp_page, page_argument, page_count, page_numbers


def test_page_numbers_skip_the_far_ones() -> None:
    assert page_numbers(1, 1) == [1]
    assert page_numbers(5, 20) == [1, None, 3, 4, 5, 6, 7, None, 20]
    assert page_numbers(2, 4) == [1, 2, 3, 4]


def test_the_page_argument_falls_back_to_the_first_page() -> None:
    assert page_argument({"page": "3"}) == 3
    assert page_argument({}) == 1
    assert page_argument({"page": "0"}) == 1
    assert page_argument({"page": "-2"}) == 1
    assert page_argument({"page": "٣"}) == 1
    assert page_argument({"page": "9" * 30}) == 1


def test_an_empty_list_has_one_page_and_stale_pages_are_brought_back() -> None:
    assert page_count(0, 50) == 1
    assert page_count(50, 50) == 1
    assert page_count(51, 50) == 2
    assert clamp_page(9, 2) == 2
    assert clamp_page(0, 2) == 1
